import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, normalize, sep } from 'node:path'
import type { RowCondition } from '../access/index.js'
import { type DuckDBInstance, quoteIdent, quoteLiteral, withConnection } from '../core/index.js'
import type { SampleReport } from '../disclosure/index.js'
import {
  bindHmacKey,
  keyFingerprint,
  type PseudonymKeys,
  type PseudonymScope,
  pseudonymSql,
} from '../keys/index.js'
import { ROW_COLUMN, UNIT_COLUMN } from './aggregate-query.js'
import type { CallerView } from './caller-views.js'

/** Under the data directory: one folder per grant (`grant-<id>`), and `open` for open data. */
const PROJECTIONS = 'projections'

/** What a view shows of one version: the file it reads, and how it is made when it is not the source. */
export interface ProjectionPlan {
  /** The published file the projection is made from (relative to the data directory). */
  source: string
  /** The file the caller's sandbox reads (relative to the data directory). */
  path: string
  /** The SELECT that makes it from the source file; none when the source shows exactly what the view does. */
  select?: (sourceFile: string) => string
}

/**
 * Where and how a view's projection of a version is made. A sample (de-identified by the Trusted
 * Centre) and a version the view shows whole (every column, no row filter, nothing masked) are
 * read as published; anything else is a file of its own holding only the granted columns, the
 * rows the filter lets through, and direct identifiers as pseudonyms under the key of the grant's
 * project. Its name carries a fingerprint of all of that (and of the key, never the key), so a
 * changed grant or key never reads a stale file.
 */
export function planProjection(
  view: CallerView,
  version: number,
  keys: PseudonymKeys,
): ProjectionPlan {
  const { entitlement } = view
  const source = entitlement.files.find((f) => f.version === version)?.path
  if (!source) throw new Error(`No version ${version} of '${entitlement.dataset.slug}'`)
  const whole =
    entitlement.scope === 'sample' ||
    (entitlement.scope !== 'aggregates' &&
      view.columns.length === entitlement.schema.length &&
      entitlement.rowFilter.length === 0 &&
      !view.columns.some((c) => c.masked))
  if (whole) return { source, path: source }
  const key = keys.keyOf(entitlement.pseudonymScope)
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        source,
        columns: view.columns.map((c) => [c.name, c.masked]),
        rowFilter: entitlement.rowFilter,
        scope: entitlement.scope,
        key: keyFingerprint(key),
      }),
    )
    .digest('hex')
    .slice(0, 16)
  const owner = entitlement.grantId ? `grant-${entitlement.grantId}` : 'open'
  const select = view.columns.map((c) =>
    c.masked
      ? `${pseudonymSql('projection_key', quoteIdent(c.name))} AS ${quoteIdent(c.name)}`
      : quoteIdent(c.name),
  )
  if (entitlement.scope === 'aggregates')
    select.push(
      `${unitSql(view)} AS ${UNIT_COLUMN}`,
      // Rows numbered in an order fixed by their content, so an answer made again finds the same.
      `row_number() OVER (ORDER BY ${view.entitlement.schema.map((c) => `${quoteIdent(c.name)}::VARCHAR`).join(', ')}) AS ${ROW_COLUMN}`,
    )
  const where = entitlement.rowFilter.map(conditionSql)
  return {
    source,
    path: join(PROJECTIONS, owner, entitlement.dataset.slug, `v${version}-${fingerprint}.parquet`),
    select: (sourceFile) =>
      `SELECT ${select.join(', ') || 'NULL AS no_columns'} FROM read_parquet(${quoteLiteral(sourceFile)})${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`,
  }
}

/**
 * Whom a row of an aggregate-only projection is about, for counting people: the dataset's first
 * direct identifier as the grant's pseudonym, or the row itself when it has none.
 */
function unitSql(view: CallerView): string {
  const identifier = view.entitlement.schema.find((c) => c.personalData === 'direct-identifier')
  if (identifier) return pseudonymSql('projection_key', quoteIdent(identifier.name))
  return `md5(to_json(list_value(${view.entitlement.schema.map((c) => `${quoteIdent(c.name)}::VARCHAR`).join(', ')}))::VARCHAR)`
}

const OPERATORS = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const

/** A grant's row condition as SQL; values are literals, never spliced text. */
export function conditionSql(condition: RowCondition): string {
  const column = quoteIdent(condition.column)
  if (condition.op === 'in')
    return `${column}::VARCHAR IN (${condition.values.map((v) => quoteLiteral(String(v))).join(', ')})`
  const op = OPERATORS[condition.op]
  return typeof condition.value === 'number' && Number.isFinite(condition.value)
    ? `${column} ${op} ${condition.value}`
    : `${column}::VARCHAR ${op} ${quoteLiteral(String(condition.value))}`
}

/**
 * The projection files behind every caller's sandbox, made in the server's own DuckDB (the only
 * process that holds the keys) on first use, shared by the replicas through the data directory,
 * and removed once their grant has ended.
 */
export function createProjections(options: {
  dataDir: string
  engine: DuckDBInstance
  keys: PseudonymKeys
}) {
  const building = new Map<string, Promise<void>>()
  const inside = (relative: string) => {
    const path = normalize(join(options.dataDir, relative))
    if (isAbsolute(relative) || !path.startsWith(normalize(options.dataDir) + sep))
      throw new Error(`'${relative}' is outside the data directory`)
    return path
  }

  /** Writes the projection under a temporary name and renames it into place: never half a file. */
  async function build(select: string, target: string, scope: PseudonymScope) {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 })
    const temporary = `${target}.${randomUUID()}.tmp`
    try {
      await withConnection(
        () => options.engine.connect(),
        async (connection) => {
          // Bound per build: the key never sits in SQL text or in a connection that outlives it.
          await bindHmacKey(connection, 'projection_key', options.keys.keyOf(scope))
          await connection.run(
            `COPY (${select}) TO ${quoteLiteral(temporary)} (FORMAT parquet, COMPRESSION zstd)`,
          )
        },
      )
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }
  return {
    /** Where the file holding exactly what the view shows of the version is, made or not. */
    pathOf: (view: CallerView, version: number): string =>
      inside(planProjection(view, version, options.keys).path),

    /** The absolute path of the file holding exactly what the view shows of the version. */
    async file(view: CallerView, version: number): Promise<string> {
      const plan = planProjection(view, version, options.keys)
      const target = inside(plan.path)
      if (!plan.select) return target
      if (
        await stat(target).then(
          () => true,
          () => false,
        )
      )
        return target
      let pending = building.get(target)
      if (!pending) {
        const select = plan.select(inside(plan.source))
        pending = build(select, target, view.entitlement.pseudonymScope).finally(() =>
          building.delete(target),
        )
        building.set(target, pending)
      }
      await pending
      return target
    },

    /** The report a sample's file carries in its footer, if it has one. */
    async sampleReport(file: string): Promise<SampleReport | undefined> {
      return withConnection(
        () => options.engine.connect(),
        async (connection) => {
          const reader = await connection.runAndReadAll(
            `SELECT decode(value) FROM parquet_kv_metadata(${quoteLiteral(file)}) WHERE decode(key) = 'sample_report'`,
          )
          const text = reader.getRows()[0]?.[0]
          return typeof text === 'string' ? (JSON.parse(text) as SampleReport) : undefined
        },
      )
    },

    /** Rows in a projection (or any Parquet file), from its footer. */
    async rowCount(file: string): Promise<number> {
      return withConnection(
        () => options.engine.connect(),
        async (connection) => {
          const reader = await connection.runAndReadAll(
            `SELECT num_rows FROM parquet_file_metadata(${quoteLiteral(file)})`,
          )
          return Number(reader.getRows()[0]?.[0] ?? 0)
        },
      )
    },

    /**
     * Removes the projections of grants no longer in force, and temporary files a killed build
     * left; answers how many folders and files it removed.
     */
    async sweep(liveGrantIds: readonly string[]): Promise<number> {
      const root = join(options.dataDir, PROJECTIONS)
      const live = new Set(liveGrantIds.map((id) => `grant-${id}`))
      const owners = await readdir(root).catch(() => [] as string[])
      const ended = owners.filter((name) => name.startsWith('grant-') && !live.has(name))
      await Promise.all(ended.map((name) => rm(join(root, name), { recursive: true, force: true })))
      const stale = await staleTemporaries(root)
      await Promise.all(stale.map((path) => rm(path, { force: true })))
      return ended.length + stale.length
    },
  }
}

export type Projections = ReturnType<typeof createProjections>

/** Temporary files older than an hour: no build takes that long, so their build died. */
async function staleTemporaries(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[])
  const old = Date.now() - 3_600_000
  const found: string[] = []
  for (const entry of entries.filter((e) => e.endsWith('.tmp'))) {
    const path = join(root, entry)
    const info = await stat(path).catch(() => undefined)
    if (info && info.mtimeMs < old) found.push(path)
  }
  return found
}
