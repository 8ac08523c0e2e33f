import { sql } from 'kysely'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import {
  collectMigrations,
  MigrationFailedError,
  type MigrationSet,
  migrateToLatest,
} from './migrations.js'

const first: MigrationSet = {
  module: 'alpha',
  migrations: {
    '20260101-01-alpha-things': {
      up: (db) =>
        db.schema
          .createTable('things')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .execute(),
    },
  },
}
const second: MigrationSet = {
  module: 'beta',
  migrations: {
    // Declared by a later module but dated earlier: it must still run after nothing it needs.
    '20260102-01-beta-refs': {
      up: (db) =>
        db.schema
          .createTable('refs')
          .addColumn('thing_id', 'integer', (c) => c.references('things.id'))
          .execute(),
    },
  },
}

describe('collectMigrations', () => {
  it('refuses a name that does not carry its date and module', () => {
    expect(() =>
      collectMigrations([
        {
          module: 'alpha',
          migrations: { 'create-things': { up: async () => undefined } },
        },
      ]),
    ).toThrow("Migration 'create-things' of module 'alpha' must be named YYYYMMDD-NN-alpha-<what>")
  })

  it('refuses the same name twice', () => {
    expect(() => collectMigrations([first, first])).toThrow(
      "Migration '20260101-01-alpha-things' is declared twice",
    )
  })
})

describe.each(TEST_BACKENDS)('migrateToLatest on %s', (backend) => {
  let test: TestDatabase<unknown> | undefined
  afterEach(async () => {
    await test?.close()
  })

  it('applies every module in date order, once', async () => {
    test = await openTestDatabase(backend, { postgresUrl: inject('postgresUrl'), migrations: [] })
    expect(await migrateToLatest(test.db, [second, first])).toEqual([
      '20260101-01-alpha-things',
      '20260102-01-beta-refs',
    ])
    expect(await migrateToLatest(test.db, [first, second])).toEqual([])
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_name in ('things', 'refs') order by 1`.execute(
      test.db,
    )
    expect(tables.rows).toEqual([{ table_name: 'refs' }, { table_name: 'things' }])
  })

  it('names the migration that failed and applies none of the batch', async () => {
    test = await openTestDatabase(backend, { postgresUrl: inject('postgresUrl'), migrations: [] })
    const broken: MigrationSet = {
      module: 'gamma',
      migrations: {
        '20260103-01-gamma-broken': {
          up: (db) => sql`select * from missing_table`.execute(db).then(() => undefined),
        },
      },
    }
    const attempt = migrateToLatest(test.db, [first, broken])
    await expect(attempt).rejects.toBeInstanceOf(MigrationFailedError)
    await expect(migrateToLatest(test.db, [first, broken])).rejects.toThrow(
      /^Migration '20260103-01-gamma-broken' failed: .*missing_table/,
    )
    // The whole batch runs in one transaction: a failure leaves the schema as it was.
    expect(await migrateToLatest(test.db, [first])).toEqual(['20260101-01-alpha-things'])
  })
})
