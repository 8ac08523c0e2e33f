import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import {
  type AccessStore,
  createAccessStore,
  entitlementsFor,
  liveGrantIds,
  observeWorkflow,
  recordGrantUse,
} from '../access/index.js'
import { type AuditLog, checkpointDirectory, createAuditLog } from '../audit/index.js'
import {
  createDatasetStore,
  createProfileStore,
  type DatasetStore,
  findDatasetOwner,
  observeDatasets,
  searchDatasets,
  suggestFor,
} from '../catalog/index.js'
import {
  bytesOf,
  type Config,
  createRateLimiter,
  type DuckDBInstance,
  databaseTarget,
  type Logger,
  openDatabase,
  openDuckDb,
  type ProcessRegistry,
  type RateLimiter,
  registerProcess,
} from '../core/index.js'
import type { AuthDeps } from '../identity/index.js'
import {
  createApiTokenStore,
  createOidc,
  createSessionStore,
  createUserStore,
} from '../identity/index.js'
import { derivePseudonymKeys, type PseudonymKeys } from '../keys/index.js'
import {
  createKpiEngine,
  createKpiReads,
  createPlatformKpiRefresh,
  type KpiEngine,
  type KpiReads,
  type PlatformKpiRefresh,
} from '../kpi/index.js'
import {
  createEventValidator,
  createLineageEmitter,
  createLineageGraph,
  createLineageStore,
  createNamespaceStore,
  type EventValidator,
  fileTransport,
  httpTransport,
  type LineageEmitter,
  type LineageGraph,
  type LineageStore,
  type NamespaceStore,
  storeTransport,
  tableBacklog,
} from '../lineage/index.js'
import { tellFollowers } from '../notifications/index.js'
import {
  createPersonSlots,
  createQueryPool,
  createQueryService,
  createSavedQueries,
  type QueryService,
  sqlParserOf,
} from '../query-service/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import {
  createTrustedCentre,
  PIPELINES,
  profilePublications,
  profileVersion,
  type TrustedCentre,
} from '../trusted-centre/index.js'
import type { AppDeps } from './app.js'
import { migrateDatabase } from './migrate-database.js'
import type { Tables } from './schema.js'
import { auditKeyOf, pseudonymSecretOf } from './secret-keys.js'

/** Everything a running process holds: the one place that opens databases and engines. */
export interface Runtime {
  config: Config
  log: Logger
  db: Kysely<Tables>
  duckdb: DuckDBInstance
  /** The key of each pseudonym scope, derived from PSEUDONYM_KEY (or development's own key). */
  pseudonyms: PseudonymKeys
  catalog: DatasetStore
  /** Access requests, grants and their working-day clock. */
  access: AccessStore
  /** Sandboxed SQL over what each caller is entitled to. */
  query: QueryService
  trustedCentre: TrustedCentre
  /** This process on record, and the processes that died without signing off. */
  processes: ProcessRegistry
  /** Each person's share of changes a minute (RATE_LIMIT_PER_MINUTE), across replicas. */
  changeLimiter: RateLimiter
  /** Each client address's sign-in attempts a minute (SIGN_IN_ATTEMPTS_PER_MINUTE), across replicas. */
  signInLimiter: RateLimiter
  /** Each client address's downloads of open data a minute (OPEN_DATA_DOWNLOADS_PER_MINUTE), across replicas. */
  openDataLimiter: RateLimiter
  /** The Blueprint KPIs: computed after every fusion, the platform's after every access decision, and on demand; read for the dashboard. */
  kpi: { engine: KpiEngine; reads: KpiReads; refresh: PlatformKpiRefresh }
  /**
   * OpenLineage events (ours and other tools'), the graph made from them, their validator, and
   * which agency owns each namespace other tools write into.
   */
  lineage: {
    store: LineageStore
    graph: LineageGraph
    validator: EventValidator
    emitter: LineageEmitter
    namespaces: NamespaceStore
  }
  /** The audit trail, keyed and anchored: every module records through it. */
  audit: AuditLog
  /** Identity, sessions, tokens and sign-in settings. */
  auth: AuthDeps
  portalDir: string
  close(): Promise<void>
}

/** Opens the metadata database (migrated to the latest schema) and the DuckDB engine. */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  await mkdir(config.DATA_DIR, { recursive: true })
  const pseudonyms = derivePseudonymKeys(await pseudonymSecretOf(config))
  const auditKey = await auditKeyOf(config)
  const target = databaseTarget(config)
  const db = await openDatabase<Tables>(target, { log })
  try {
    const applied = await migrateDatabase(config, db as Kysely<unknown>, log)
    log.info({ database: target.kind, applied }, 'database ready')
    // This process on record: what it leaves unfinished if it dies is marked failed by another.
    const processes = await registerProcess(db, {
      kind: process.argv.slice(2).join(' ') || 'runtime',
      timeoutSeconds: config.PROCESS_TIMEOUT_SECONDS,
    })
    const duckdb = await openDuckDb({
      threads: config.DUCKDB_THREADS,
      memoryLimit: config.DUCKDB_MEMORY_LIMIT,
      // Beyond its limit the engine spills beside the data it works on, not into the cwd.
      tempDirectory: join(config.DATA_DIR, 'duckdb-spill'),
    })
    // One audit trail per process, keyed and anchored outside the database.
    const audit = createAuditLog(db, {
      key: auditKey,
      anchor: checkpointDirectory(
        config.AUDIT_CHECKPOINT_DIR ?? join(config.DATA_DIR, 'audit-checkpoints'),
        auditKey,
        processes.id,
      ),
    })
    await audit.checkpoint()
    // What happens to a dataset is told to its followers and its agency's webhooks once it has
    // committed, in the background: a publication never waits for them, nor fails because of them.
    const datasetEvents = observeDatasets(createDatasetStore(db), db, {
      listener: (event, at) => tellFollowers(db, event, at),
      log,
    })
    const catalog = datasetEvents.store
    const store = createLineageStore(db)
    const validator = createEventValidator()
    // Our events go to our own store first (awaited, so the graph is current), then to any
    // configured consumer or file; a failing transport is retried, never failing a pipeline.
    const emitter = createLineageEmitter({
      transports: [
        storeTransport(store),
        ...(config.LINEAGE_HTTP_URL
          ? [httpTransport({ url: config.LINEAGE_HTTP_URL, apiKey: config.LINEAGE_HTTP_API_KEY })]
          : []),
        ...(config.LINEAGE_FILE ? [fileTransport(config.LINEAGE_FILE)] : []),
      ],
      log,
      validator,
      backlog: tableBacklog(db),
    })
    const lineage = {
      store,
      graph: createLineageGraph(db),
      validator,
      emitter,
      namespaces: createNamespaceStore(db),
    }
    const kpiEngine = createKpiEngine({
      db,
      catalog,
      duckdb,
      dataDir: config.DATA_DIR,
      log,
      now: () => new Date(),
      lineage: { record: (event) => emitter.emit(event) },
    })
    const trustedCentre = createTrustedCentre({
      db,
      catalog,
      duckdb,
      dataDir: config.DATA_DIR,
      pseudonyms,
      sampleK: config.SAMPLE_K,
      processId: processes.id,
      lineage: { record: (event) => emitter.emit(event) },
      // New versions may change the KPIs: they are recomputed after every fusion. A failure is
      // logged and never fails the fusion (the last values stay, and "recompute" retries).
      afterFuse: async (results) => {
        // A version its blocking checks held back is news to its followers too.
        for (const { publication, quality, run } of results)
          if (!publication && quality.blockingFailures > 0) {
            const slug = PIPELINES.find((p) => p.id === run.subject)?.dataset.slug
            if (slug) datasetEvents.refused(slug, quality)
          }
        // Each new version's columns are profiled under its sample's rules; a failure leaves
        // the version to be profiled when first read.
        await profilePublications(profileDepsOf({ catalog, db, duckdb, config }), results).catch(
          (error: unknown) => log.error({ err: error }, 'profiling new versions failed'),
        )
        await kpiEngine
          .compute({ kind: 'fusion', actor: 'system' })
          .catch((error: unknown) =>
            log.error(
              { error: error instanceof Error ? error.message : String(error) },
              'KPI computation failed',
            ),
          )
      },
    })
    // Every step of the sharing workflow is audited inside its own transaction; once a decision
    // has committed, the platform KPIs are measured again in the background.
    const kpiRefresh = createPlatformKpiRefresh(kpiEngine, log)
    const access = observeWorkflow(
      createAccessStore(db, createWorkingDayCalendar(), audit),
      kpiRefresh.onWorkflowChange,
    )
    const query = createQueryService({
      db,
      dataDir: config.DATA_DIR,
      // Projections are made by this process's DuckDB, which alone holds the keys.
      engine: duckdb,
      pseudonyms,
      limits: queryLimitsOf(config),
      outputRules: outputRulesOf(config),
      pool: createQueryPool(
        poolLimitsOf(config),
        // The per-person limit holds across replicas: slots are rows in the shared database.
        createPersonSlots(db, { maxPerUser: config.QUERY_MAX_PER_USER, processId: processes.id }),
      ),
      workers: config.QUERY_MAX_RUNNING,
      entitlements: (user, ability, now, only) => entitlementsFor(db, user, ability, now, only),
      endedGrants: (ability, now) =>
        access.listGrants({ status: ['revoked', 'expired'] }, ability, now),
      liveGrants: () => liveGrantIds(db, new Date()),
      recordUse: (datasetId, kind) => catalog.recordUse(datasetId, kind),
      recordGrantUse: (grantId, kind, at) => recordGrantUse(db, grantId, kind, at),
      audit,
      now: () => new Date(),
      processId: processes.id,
      log,
    })
    return {
      config,
      log,
      db,
      duckdb,
      pseudonyms,
      catalog,
      access,
      query,
      trustedCentre,
      processes,
      changeLimiter: createRateLimiter(db, { perMinute: config.RATE_LIMIT_PER_MINUTE }),
      // Same table as the changes (pruned with them), keys of its own.
      signInLimiter: createRateLimiter(db, { perMinute: config.SIGN_IN_ATTEMPTS_PER_MINUTE }),
      openDataLimiter: createRateLimiter(db, { perMinute: config.OPEN_DATA_DOWNLOADS_PER_MINUTE }),
      kpi: { engine: kpiEngine, reads: createKpiReads(db), refresh: kpiRefresh },
      lineage,
      audit,
      auth: authDeps(config, db, audit),
      portalDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'portal', 'dist'),
      async close() {
        // A recomputation under way finishes before the database and lineage close.
        await kpiRefresh.settled()
        await datasetEvents.settled()
        await query.close()
        // The head as this process leaves it, anchored before the database closes.
        await audit
          .checkpoint()
          .catch((error: unknown) => log.error({ err: error }, 'anchoring the audit trail failed'))
        await processes.stop()
        await emitter.close()
        duckdb.closeSync()
        await db.destroy()
      },
    }
  } catch (error) {
    await db.destroy()
    throw error
  }
}

function authDeps(config: Config, db: Kysely<Tables>, audit: AuditLog): AuthDeps {
  const users = createUserStore(db)
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`
  return {
    users,
    sessions: createSessionStore(db),
    tokens: createApiTokenStore(db, users),
    audit,
    oidc:
      config.OIDC_ISSUER && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
        ? createOidc({
            issuer: config.OIDC_ISSUER,
            clientId: config.OIDC_CLIENT_ID,
            clientSecret: config.OIDC_CLIENT_SECRET,
            redirectUri: `${publicUrl}/api/auth/oidc/callback`,
            audience: config.OIDC_AUDIENCE,
          })
        : undefined,
    devSignIn: config.DEV_SIGN_IN,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    secureCookies: publicUrl.startsWith('https://'),
    publicUrl,
    now: () => new Date(),
  }
}

/** What the HTTP app needs from a runtime; tests override single parts. */
export function appDepsOf(runtime: Runtime): AppDeps {
  return {
    log: runtime.log,
    catalog: runtime.catalog,
    search: (ability, request) => searchDatasets(runtime.db, ability, request),
    suggest: (ability, typed) => suggestFor(runtime.db, ability, typed),
    datasetOwner: (agency) => findDatasetOwner(runtime.db, agency),
    profiles: {
      profiles: createProfileStore(runtime.db),
      profileVersion: (datasetId, version) =>
        profileVersion(profileDepsOf(runtime), datasetId, version),
    },
    access: runtime.access,
    db: runtime.db,
    allowPrivateWebhooks: runtime.config.WEBHOOK_ALLOW_PRIVATE,
    query: runtime.query,
    // Saved queries run through the query path as whoever runs them; DuckDB only parses here.
    savedQueries: createSavedQueries({
      db: runtime.db,
      run: (user, ability, request, requestId) =>
        runtime.query.run(user, ability, request, requestId),
      entitlements: (user, ability, now) => entitlementsFor(runtime.db, user, ability, now),
      parse: sqlParserOf(runtime.duckdb),
      audit: runtime.audit,
      now: runtime.auth.now,
    }),
    lineage: runtime.lineage,
    kpi: runtime.kpi,
    entitlements: (user, ability, now) => entitlementsFor(runtime.db, user, ability, now),
    audit: runtime.audit,
    auth: runtime.auth,
    pingDatabase: () => pingDatabase(runtime.db),
    portalDir: runtime.portalDir,
    feeds: {
      failedDeliveries: (feed, options) => runtime.trustedCentre.failedDeliveries(feed, options),
    },
    changeLimiter: runtime.changeLimiter,
    signInLimiter: runtime.signInLimiter,
    openDataLimiter: runtime.openDataLimiter,
    trustedProxies: runtime.config.TRUST_PROXY,
    bodyLimitBytes: bytesOf(runtime.config.API_BODY_LIMIT_BYTES),
  }
}

/** What profiling a version's columns needs of a runtime. */
function profileDepsOf(runtime: Pick<Runtime, 'catalog' | 'db' | 'duckdb' | 'config'>) {
  return {
    catalog: runtime.catalog,
    profiles: createProfileStore(runtime.db),
    duckdb: runtime.duckdb,
    dataDir: runtime.config.DATA_DIR,
    sampleK: runtime.config.SAMPLE_K,
  }
}

/** The query sandbox's limits as configured (QUERY_*). */
export function queryLimitsOf(config: Config) {
  return {
    timeoutMs: config.QUERY_TIMEOUT_SECONDS * 1000,
    memoryLimit: config.QUERY_MEMORY_LIMIT,
    threads: config.QUERY_THREADS,
    maxRows: config.QUERY_MAX_ROWS,
    maxStreamRows: config.QUERY_MAX_STREAM_ROWS,
    maxJsonBytes: bytesOf(config.QUERY_MAX_JSON_BYTES),
    maxStreamBytes: bytesOf(config.QUERY_MAX_STREAM_BYTES),
  }
}

/** The output checks of aggregate-only grants as configured (SDC_*). */
export function outputRulesOf(config: Config) {
  return { minCount: config.SDC_MIN_COUNT, dominanceP: config.SDC_DOMINANCE_P }
}

/** The query pool's limits as configured (QUERY_MAX_*). */
export function poolLimitsOf(config: Config) {
  return {
    maxRunning: config.QUERY_MAX_RUNNING,
    maxPerUser: config.QUERY_MAX_PER_USER,
    maxWaitMs: config.QUERY_MAX_WAIT_SECONDS * 1000,
  }
}

/** Resolves when the metadata database answers a trivial query. */
export async function pingDatabase(db: Kysely<Tables>): Promise<void> {
  await sql`select 1`.execute(db)
}
