import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, inject } from 'vitest'
import {
  type CatalogTables,
  catalogMigrations,
  createDatasetStore,
  type DatasetStore,
} from '../catalog/index.js'
import { type DuckDBInstance, openDuckDb, readRows, withConnection } from '../core/index.js'
import { type FixtureManifest, generateFixtures } from '../fixtures/index.js'
import { derivePseudonymKeys } from '../keys/index.js'
import { openTestDatabase, type TestBackend, type TestDatabase } from '../testing/index.js'
import { trustedCentreMigrations } from './migrations.js'
import type { TrustedCentreTables } from './tc-tables.js'
import { createTrustedCentre, type TrustedCentre } from './trusted-centre.js'

// A fixed test secret: pseudonyms are the same on every run, and no real key is ever in a test.
export const pseudonyms = derivePseudonymKeys(Buffer.alloc(32, 7))

/** What `useTrustedCentre` holds: filled before the first test runs. */
export interface TrustedCentreSetup {
  db: Kysely<CatalogTables & TrustedCentreTables>
  duckdb: DuckDBInstance
  /** The centre's data directory (a temporary one). */
  dataDir: string
  /** Where the SSOT deliveries arrive, as the fixtures generated them. */
  inbox: string
  manifest: FixtureManifest
  catalog: DatasetStore
  tc: TrustedCentre
  /** Rows of a Parquet file under `dataDir`, read by DuckDB. */
  parquetRows<T>(path: string, select?: string, where?: string): Promise<T[]>
}

/**
 * A Trusted Centre on `backend` for the describe block it is called in, over fixture feeds
 * (seed 42, scale 0.3) in a temporary data directory; with `ingested`, every delivery in the
 * inbox is ingested before the first test. All of it is removed after the block's last test.
 */
export function useTrustedCentre(
  backend: TestBackend,
  { ingested = false } = {},
): TrustedCentreSetup {
  let test: TestDatabase<CatalogTables & TrustedCentreTables>
  const setup = {
    parquetRows: <T>(path: string, select = '*', where = 'true') =>
      withConnection(
        () => setup.duckdb.connect(),
        (conn) =>
          readRows<T>(
            conn,
            `SELECT ${select} FROM read_parquet('${join(setup.dataDir, path)}') WHERE ${where}`,
          ),
      ),
  } as TrustedCentreSetup

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [catalogMigrations, trustedCentreMigrations],
    })
    setup.db = test.db
    setup.duckdb = await openDuckDb({ threads: 2, memoryLimit: '1GB' })
    setup.dataDir = await mkdtemp(join(tmpdir(), 'tc-test-'))
    setup.inbox = join(setup.dataDir, 'feeds', 'inbox')
    setup.manifest = await generateFixtures({ directory: setup.inbox, seed: 42, scale: 0.3 })
    setup.catalog = createDatasetStore(test.db)
    setup.tc = createTrustedCentre({
      db: test.db,
      catalog: setup.catalog,
      duckdb: setup.duckdb,
      dataDir: setup.dataDir,
      pseudonyms,
    })
    if (ingested) await setup.tc.ingestDirectory(setup.inbox)
  })
  afterAll(async () => {
    await test?.close()
    setup.duckdb?.closeSync()
    if (setup.dataDir) await rm(setup.dataDir, { recursive: true, force: true })
  })
  return setup
}
