import { mkdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Entitlement } from '../../access/index.js'
import { createDatasetStore } from '../../catalog/index.js'
import { type Config, migrateToLatest, openDatabase, openDuckDb } from '../../core/index.js'
import { generateFixtures, nationalSizes } from '../../fixtures/index.js'
import { defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import { derivePseudonymKeys } from '../../keys/index.js'
import {
  createQueryPool,
  createQueryService,
  queryServiceMigrations,
} from '../../query-service/index.js'
import {
  MIGRATIONS,
  outputRulesOf,
  poolLimitsOf,
  queryLimitsOf,
  type Tables,
} from '../../server/index.js'
import { createTrustedCentre, PIPELINES, type TrustedCentre } from '../../trusted-centre/index.js'
import { maxRssMb, peakMbDuring, rssMb } from '../report/process-memory.js'

/** The pseudonym secret of the benches: fixed, so runs compare, and never a real key. */
const BENCH_SECRET = Buffer.alloc(32, 7)

import {
  count,
  EXTRACT_FORMATS,
  type ExtractResult,
  FEEDS,
  FUSIONS,
  type FuseStep,
  firstLine,
  type GenerateResult,
  type IngestStep,
  mb,
  ms,
  rate,
  type SavePartial,
  StepFailedError,
  say,
  type TrustedCentreResult,
} from './scale-results.js'

// The phases of `npm run bench:scale` that run in a process of their own per point: generation
// of the feeds, the Trusted Centre (ingest, then fusion) and extracts through the query service.

const SEED = 42
/** The officer a grant of the whole largest dataset was made to. */
const grantee: User = {
  id: 'u_000000000000000000000002' as UserId,
  username: 'grantee.moh',
  displayName: 'Grantee',
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
}

/** Writes the feeds at a fraction of national size under `dir/feeds`, timing each. */
export async function generatePhase(point: number, dir: string): Promise<GenerateResult> {
  const sizes = nationalSizes(point)
  const directory = join(dir, 'feeds')
  const started = performance.now()
  let lap = started
  const feeds: GenerateResult['feeds'] = []
  await generateFixtures({
    directory,
    seed: SEED,
    scale: sizes.persons / 5_000,
    sizes,
    onProgress: ({ feed, rows, done }) => {
      if (!done && rows % 1_000_000 === 0) say(`    ${feed}: ${count(rows)} rows written …`)
      if (!done || !FEEDS.includes(feed)) return
      const now = performance.now()
      feeds.push({ feed, rows, bytes: 0, seconds: (now - lap) / 1000 })
      lap = now
      say(`    ${feed}: ${count(rows)} rows in ${((now - started) / 1000).toFixed(1)} s`)
    },
  })
  for (const f of feeds) f.bytes = (await stat(join(directory, `${f.feed}.csv`))).size
  return { seconds: (performance.now() - started) / 1000, feeds, peakRssMb: maxRssMb() }
}

/**
 * Ingests the big feeds and runs every pipeline over them, on an engine configured as the
 * server's; keeps the published files under `dir/data` for the extract phase.
 */
export async function trustedCentrePhase(
  dir: string,
  config: Config,
  save: SavePartial,
): Promise<TrustedCentreResult> {
  const dataDir = join(dir, 'data')
  await mkdir(join(dir, 'spill'), { recursive: true })
  const db = await openDatabase<Tables>({ kind: 'pglite' })
  await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
  const duckdb = await openDuckDb({
    threads: config.DUCKDB_THREADS,
    memoryLimit: config.DUCKDB_MEMORY_LIMIT,
    tempDirectory: join(dir, 'spill'),
  })
  const tc = createTrustedCentre({
    db,
    catalog: createDatasetStore(db),
    duckdb,
    dataDir,
    // A fixed test secret: the bench's pseudonyms mean nothing outside it.
    pseudonyms: derivePseudonymKeys(BENCH_SECRET),
  })
  const startRssMb = rssMb()
  const ingests: IngestStep[] = []
  const fusions: FuseStep[] = []
  const result: TrustedCentreResult = {
    ingests,
    fusions,
    failures: [],
    peakRssMb: maxRssMb(),
    startRssMb,
  }
  const saved = () => save({ ...result, peakRssMb: maxRssMb() })
  await saved()
  for (const feed of FEEDS) {
    const { value, seconds, peakMb } = await measured(`ingest ${feed}`, () =>
      tc.ingest(feed, join(dir, 'feeds', `${feed}.csv`)),
    )
    const run = value.run
    if (value.outcome !== 'ingested') throw new StepFailedError(`ingest ${feed}`, run.message)
    ingests.push({
      feed,
      rowsIn: run.rowsIn ?? 0,
      accepted: run.accepted ?? 0,
      quarantined: run.quarantined ?? 0,
      seconds,
      peakRssMb: peakMb,
    })
    say(
      `    ingest ${feed}: ${count(run.rowsIn ?? 0)} rows in ${seconds.toFixed(1)} s (${count(rate(run.rowsIn ?? 0, seconds))} rows/s), ${count(run.quarantined ?? 0)} quarantined`,
    )
    await saved()
  }
  for (const id of FUSIONS) {
    // A pipeline that fails leaves the others to be measured; the report names it.
    const fused = await fuseOne(db, tc, id, ingests).catch((error: unknown) => {
      const failure = { step: `fusion ${id}`, error: firstLine(error) }
      result.failures.push(failure)
      say(`    fuse ${id} failed: ${failure.error}`)
      return undefined
    })
    if (fused) fusions.push(fused)
    await saved()
  }
  const top = [...fusions].sort((a, b) => b.publishedBytes - a.publishedBytes)[0]
  const slug = PIPELINES.find((p) => p.id === top?.pipeline)?.dataset.slug
  const largest = top &&
    slug && {
      pipeline: top.pipeline,
      rows: top.rowsOut,
      entitlement: await grantedEntitlement(db, slug),
    }
  await db.destroy()
  duckdb.closeSync()
  return { ...result, peakRssMb: maxRssMb(), ...(largest && { largest }) }
}

/** Runs one pipeline and reads what it published from the catalogue. */
async function fuseOne(
  db: Kysely<Tables>,
  tc: TrustedCentre,
  id: string,
  ingests: IngestStep[],
): Promise<FuseStep> {
  const { value, seconds, peakMb } = await measured(`fusion ${id}`, () => tc.fuse(id))
  const fused = value[0]
  if (!fused?.publication) throw new Error(fused?.run.message ?? 'nothing published')
  const version = await db
    .selectFrom('dataset_versions')
    .select(['row_count', 'byte_size'])
    .where('dataset_id', '=', fused.publication.datasetId)
    .where('version', '=', fused.publication.version)
    .executeTakeFirstOrThrow()
  const inputs = PIPELINES.find((p) => p.id === id)?.inputs.map((f) => f.id) ?? []
  const t = fused.timings
  say(
    `    fuse ${id}: ${count(Number(version.row_count))} rows, ${mb(Number(version.byte_size))} MB in ${seconds.toFixed(1)} s (SQL ${ms(t.fuseMs)}, quality ${ms(t.qualityMs)}, publication ${ms(t.publishMs)}, sample ${ms(t.sampleMs)}; peak RSS ${peakMb} MB)`,
  )
  return {
    pipeline: id,
    inputRows: ingests.filter((i) => inputs.includes(i.feed)).reduce((n, i) => n + i.accepted, 0),
    rowsOut: Number(version.row_count),
    publishedBytes: Number(version.byte_size),
    seconds,
    timings: t,
    peakRssMb: peakMb,
  }
}

/** What a grant of the whole dataset gives its grantee (as catalog's entitlementsFor builds it). */
async function grantedEntitlement(db: Kysely<Tables>, slug: string): Promise<Entitlement> {
  const dataset = await db
    .selectFrom('datasets')
    .select(['id', 'slug', 'title', 'agency'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow()
  const versions = await db
    .selectFrom('dataset_versions')
    .select(['version', 'path'])
    .where('dataset_id', '=', dataset.id)
    .orderBy('version', 'desc')
    .execute()
  const columns = await db
    .selectFrom('dataset_columns')
    .select(['name', 'type', 'personal_data'])
    .where('dataset_id', '=', dataset.id)
    .orderBy('position')
    .execute()
  return {
    dataset,
    scope: 'full',
    basis: 'grant',
    grantId: 'g_bench_scale',
    files: versions.map((v) => ({ version: Number(v.version), path: v.path })),
    columns: undefined,
    rowFilter: [],
    inClear: [],
    schema: columns.map((c) => ({ name: c.name, type: c.type, personalData: c.personal_data })),
    expiresAt: undefined,
    pseudonymScope: 'grant:g_bench_scale',
  }
}

/** Extracts the largest published dataset through the query service, as its grantee would. */
export async function extractPhase(
  dir: string,
  input: string,
  config: Config,
  save: SavePartial,
): Promise<ExtractResult> {
  const { largest } = JSON.parse(await readFile(input, 'utf8')) as TrustedCentreResult
  if (!largest) throw new Error('The Trusted Centre published nothing to extract')
  const db = await openDatabase({ kind: 'pglite' })
  await migrateToLatest(db, [queryServiceMigrations])
  const engine = await openDuckDb({
    threads: config.DUCKDB_THREADS,
    memoryLimit: config.DUCKDB_MEMORY_LIMIT,
  })
  const service = createQueryService({
    db: db as never,
    dataDir: join(dir, 'data'),
    engine,
    pseudonyms: derivePseudonymKeys(BENCH_SECRET),
    limits: queryLimitsOf(config),
    outputRules: outputRulesOf(config),
    pool: createQueryPool(poolLimitsOf(config)),
    workers: config.QUERY_MAX_RUNNING,
    entitlements: async () => [largest.entitlement],
    liveGrants: async () => [largest.entitlement.grantId ?? ''],
    recordUse: async () => undefined,
    audit: { append: async () => ({}) as never },
    now: () => new Date(),
  })
  const formats: ExtractResult['formats'] = []
  const result = {
    dataset: largest.entitlement.dataset.slug,
    rows: largest.rows,
    formats,
    peakRssMb: maxRssMb(),
  }
  for (const format of EXTRACT_FORMATS) {
    const { value, seconds, peakMb } = await measured(
      `extract ${format}`,
      async () => {
        const extract = await service.extract(grantee, defineAbilityFor(grantee), {
          dataset: largest.entitlement.dataset.slug,
          version: largest.entitlement.files[0]?.version ?? 1,
          scope: 'full',
          format,
        })
        // Read to the end and counted, as a client saving the file would.
        let bytes = 0
        const reader = extract.body.getReader()
        for (;;) {
          const next = await reader.read()
          if (next.done) break
          bytes += next.value.byteLength
        }
        const done = await extract.done
        if (!done.completed) throw new Error(`The ${format} extract stopped before the end`)
        return { rows: done.rows, bytes }
      },
      () => service.workers().pids,
    )
    formats.push({ format, ...value, seconds, peakRssMb: peakMb })
    say(
      `    extract ${largest.entitlement.dataset.slug} as ${format}: ${count(value.rows)} rows, ${mb(value.bytes)} MB in ${seconds.toFixed(1)} s (peak RSS ${peakMb} MB)`,
    )
    await save({ ...result, peakRssMb: maxRssMb() })
  }
  await service.close()
  engine.closeSync()
  await db.destroy()
  return { ...result, peakRssMb: maxRssMb() }
}

/**
 * Wall time and the process's largest resident memory (sampled every 25 ms) while one step's
 * `work` runs; its error becomes a {@link StepFailedError} naming the step.
 */
export async function measured<T>(
  step: string,
  work: () => Promise<T>,
  /** Processes doing the work beside this one (query workers), counted in its peak. */
  children?: () => readonly number[],
) {
  let seconds = 0
  try {
    const { value, peakMb } = await peakMbDuring(
      async () => {
        const t = performance.now()
        const value = await work()
        seconds = (performance.now() - t) / 1000
        return value
      },
      25,
      children,
    )
    return { value, seconds, peakMb }
  } catch (error) {
    throw new StepFailedError(step, error)
  }
}
