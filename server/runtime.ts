import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import { createDatasetStore, type DatasetStore } from '../catalog/index.js'
import {
  type Config,
  type DuckDBInstance,
  databaseTarget,
  type Logger,
  migrateToLatest,
  openDatabase,
  openDuckDb,
} from '../core/index.js'
import { createTrustedCentre, type TrustedCentre } from '../trusted-centre/index.js'
import { MIGRATIONS, type Tables } from './schema.js'

/** Everything a running process holds: the one place that opens databases and engines. */
export interface Runtime {
  config: Config
  log: Logger
  db: Kysely<Tables>
  duckdb: DuckDBInstance
  catalog: DatasetStore
  trustedCentre: TrustedCentre
  portalDir: string
  close(): Promise<void>
}

/** Opens the metadata database (migrated to the latest schema) and the DuckDB engine. */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  await mkdir(config.DATA_DIR, { recursive: true })
  const target = databaseTarget(config)
  const db = await openDatabase<Tables>(target, { log })
  try {
    const applied = await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
    log.info({ database: target.kind, applied }, 'database ready')
    const duckdb = await openDuckDb({
      threads: config.DUCKDB_THREADS,
      memoryLimit: config.DUCKDB_MEMORY_LIMIT,
    })
    const catalog = createDatasetStore(db)
    const trustedCentre = createTrustedCentre({
      db,
      catalog,
      duckdb,
      dataDir: config.DATA_DIR,
      pseudonymKey: config.PSEUDONYM_KEY,
    })
    return {
      config,
      log,
      db,
      duckdb,
      catalog,
      trustedCentre,
      portalDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'portal', 'dist'),
      async close() {
        duckdb.closeSync()
        await db.destroy()
      },
    }
  } catch (error) {
    await db.destroy()
    throw error
  }
}

/** Resolves when the metadata database answers a trivial query. */
export async function pingDatabase(db: Kysely<Tables>): Promise<void> {
  await sql`select 1`.execute(db)
}
