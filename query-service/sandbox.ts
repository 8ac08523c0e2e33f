import { dirname, isAbsolute, join, normalize } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { Entitlement, RowCondition } from '../catalog/index.js'
import { type DuckDBConnection, quoteIdent, quoteLiteral } from '../core/index.js'

const STREAMING_BUFFER = '64MB'

/** What one query may use of the machine. */
export interface SandboxLimits {
  /** Interrupted after this long. */
  timeoutMs: number
  /** DuckDB memory limit, e.g. '256MB'; nothing spills to disk. */
  memoryLimit: string
  threads: number
  /** Rows returned to a JSON answer at most. */
  maxRows: number
}

/** One of the caller's views: what it is called, what it reads, what it shows. */
export interface SandboxView {
  name: string
  entitlement: Entitlement
  /** The columns it shows, and which of them are masked. */
  columns: { name: string; type: string; masked: boolean }[]
}

export interface Sandbox {
  connection: DuckDBConnection
  views: SandboxView[]
  close(): void
}

/**
 * A DuckDB instance of its own for one caller's query, exposing only views over what the
 * caller is entitled to. Defence in depth, in the order it is built: only the files behind the
 * views are readable (allowed_paths), nothing else on disk or network (external access off, no
 * extension installs or loads, no spilling), the views drop columns not granted, mask direct
 * identifiers not granted in clear and apply the grant's row filter, and the configuration is
 * locked before any of the caller's SQL is seen. What DuckDB's lockdown does not stop (tables
 * behind views stay readable, DETACH and CREATE still work, table functions still read allowed
 * files) is stopped by the SQL gate (checkSql), which every query passes first.
 */
export async function openSandbox(
  entitlements: readonly Entitlement[],
  options: {
    dataDir: string
    maskKey: string
    limits: SandboxLimits
    /** A file the server itself writes (an extract); its directory must be private to it. */
    writablePath?: string
  },
): Promise<Sandbox> {
  const views = viewsOf(entitlements)
  const files = views.map((v) => fileOf(options.dataDir, v.entitlement))
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.limits.threads),
    memory_limit: options.limits.memoryLimit,
    max_temp_directory_size: '0B',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  })
  const connection = await instance.connect()
  try {
    await connection.run(`SET allowed_paths = [${files.map(quoteLiteral).join(', ')}]`)
    // DuckDB writes through a temporary name beside the target: the whole private directory.
    if (options.writablePath)
      await connection.run(
        `SET allowed_directories = [${quoteLiteral(`${dirname(options.writablePath)}/`)}]`,
      )
    for (const [i, view] of views.entries())
      await connection.run(viewSql(view, files[i] ?? '', options.maskKey))
    // Lets DuckDB compute ahead of a streaming reader (Arrow answers are converted in JS while
    // the next chunks are made); DuckDB's default of under 1 MB leaves its threads idle.
    await connection.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`)
    await connection.run('SET enable_external_access = false')
    await connection.run('SET lock_configuration = true')
  } catch (error) {
    connection.closeSync()
    instance.closeSync()
    throw error
  }
  return {
    connection,
    views,
    close() {
      connection.closeSync()
      instance.closeSync()
    },
  }
}

/**
 * One view per entitlement, named after the dataset (`person_address_pa`; its sample
 * `person_address_pa_sample`; a second grant on the same dataset `…_2`).
 */
export function viewsOf(entitlements: readonly Entitlement[]): SandboxView[] {
  const taken = new Set<string>()
  return entitlements
    .filter((e) => e.files.length > 0)
    .map((entitlement) => {
      const base = `${entitlement.dataset.slug.replace(/[^a-z0-9]+/g, '_')}${entitlement.scope === 'sample' ? '_sample' : ''}`
      let name = base
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
      taken.add(name)
      const granted = entitlement.columns ? new Set(entitlement.columns) : undefined
      const columns = entitlement.schema
        .filter((c) => !granted || granted.has(c.name))
        .map((c) => ({
          name: c.name,
          type: c.type,
          // Samples come masked from the Trusted Centre; full data is masked by the view.
          masked:
            c.personalData === 'direct-identifier' &&
            (entitlement.scope === 'sample' || !entitlement.inClear.includes(c.name)),
        }))
      return { name, entitlement, columns }
    })
}

/** The newest file of the entitlement, inside the data directory. */
function fileOf(dataDir: string, entitlement: Entitlement): string {
  const relative = entitlement.files[0]?.path ?? ''
  const path = normalize(join(dataDir, relative))
  if (isAbsolute(relative) || !path.startsWith(normalize(dataDir)))
    throw new Error(`Entitlement file '${relative}' is outside the data directory`)
  return path
}

function viewSql(view: SandboxView, file: string, maskKey: string): string {
  // A sample is de-identified by the Trusted Centre already: shown as published.
  if (view.entitlement.scope === 'sample')
    return `CREATE VIEW ${quoteIdent(view.name)} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`
  const select = view.columns.map((c) =>
    c.masked
      ? `CASE WHEN ${quoteIdent(c.name)} IS NULL THEN NULL ELSE 'masked-' || left(sha256(${quoteLiteral(maskKey)} || ${quoteIdent(c.name)}::VARCHAR), 16) END AS ${quoteIdent(c.name)}`
      : quoteIdent(c.name),
  )
  const where = view.entitlement.rowFilter.map(conditionSql)
  return `CREATE VIEW ${quoteIdent(view.name)} AS SELECT ${select.join(', ') || 'NULL AS no_columns'} FROM read_parquet(${quoteLiteral(file)})${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`
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
