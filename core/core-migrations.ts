import type { Kysely } from 'kysely'
import type { MigrationSet } from './migrations.js'

/** The kernel's tables: the processes on record and the shared rate limits. */
export const coreMigrations: MigrationSet = {
  module: 'core',
  migrations: {
    '20261122-20-core-processes': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('processes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('pid', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'timestamptz', (c) => c.notNull())
          .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
          .execute()
      },
    },
    '20261122-24-core-rate-limits': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('window_start', 'timestamptz', (c) => c.notNull())
          .addColumn('hits', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
          .execute()
      },
    },
  },
}
