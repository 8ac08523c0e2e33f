import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, type LogEvent, PGliteDialect, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { UnavailableError } from './errors.js'
import type { Logger } from './logger.js'

/** Where the metadata database lives: embedded PGlite (a directory, or memory) or PostgreSQL. */
export type DatabaseTarget =
  | { kind: 'pglite'; directory?: string }
  | { kind: 'postgres'; url: string; poolSize?: number }

/** Picks PostgreSQL when a URL is configured, else PGlite persisted under the data directory. */
export function databaseTarget(config: {
  DATABASE_URL?: string | undefined
  DATABASE_POOL_SIZE: number
  DATA_DIR: string
}): DatabaseTarget {
  return config.DATABASE_URL
    ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
    : { kind: 'pglite', directory: join(config.DATA_DIR, 'pglite') }
}

/** A connection URL without its password, safe for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '<unparseable URL>'
  }
}

const INT8_OID = 20
// int8 (bigint, count(*)) arrives as a string from pg and a bigint from PGlite; our values
// (row counts, byte sizes) stay far below 2^53, so both backends hand back plain numbers.
const parseInt8 = (value: string) => Number(value)

/**
 * Opens the Kysely database and proves it answers, so a bad target fails at start-up with a
 * message that names it (never its password).
 * @example const db = await openDatabase<Tables>({ kind: 'pglite' })
 */
export async function openDatabase<DB>(
  target: DatabaseTarget,
  options: { log?: Logger } = {},
): Promise<Kysely<DB>> {
  const log = options.log
  const kyselyLog = log
    ? (event: LogEvent) => {
        if (event.level === 'error') return
        log.debug({ sql: event.query.sql, ms: event.queryDurationMillis }, 'sql')
      }
    : undefined
  const db =
    target.kind === 'postgres'
      ? new Kysely<DB>({ dialect: postgresDialect(target), log: kyselyLog })
      : new Kysely<DB>({ dialect: await pgliteDialect(target), log: kyselyLog })
  try {
    await sql`select 1`.execute(db)
  } catch (cause) {
    await db.destroy().catch(() => undefined)
    const where =
      target.kind === 'postgres'
        ? `PostgreSQL at ${redactUrl(target.url)}`
        : `PGlite at ${target.directory ?? 'memory'}`
    throw new UnavailableError(`Cannot connect to ${where}: ${errorText(cause)}`, { cause })
  }
  return db
}

function postgresDialect(target: { url: string; poolSize?: number }) {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? parseInt8
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // A client losing its server (a restart, a failover) must not crash the process: idle ones are
  // dropped by the pool, and one checked out (between a transaction's statements, say) reports
  // the loss to its next query, which answers 503 (core/database-unavailable.ts).
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return new PostgresDialect({ pool })
}

async function pgliteDialect(target: { directory?: string }) {
  if (target.directory) await mkdir(target.directory, { recursive: true })
  // pg_trgm ships with PostgreSQL's contrib; PGlite loads it as an extension (catalogue search).
  const pglite = await PGlite.create(target.directory, {
    parsers: { [INT8_OID]: parseInt8 },
    extensions: { pg_trgm },
  })
  return new PGliteDialect({ pglite })
}

function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(errorText).join('; ')
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message
  }
  return String(error)
}
