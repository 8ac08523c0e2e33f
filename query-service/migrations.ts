import type { ColumnType, Generated, Kysely } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** Every query a person ran: what, over which views, how it ended, how much came back. */
export interface QueryHistoryRow {
  id: string
  user_id: string
  sql: string
  format: string
  views: ColumnType<string[], string, string>
  status: string
  error: string | null
  rows: number | null
  bytes: number | null
  started_at: Date
  finished_at: Date | null
  /** Set by a cancel that reached another replica than the one running the query. */
  cancel_requested_at: Date | null
  /** The process running it (core's process registry). */
  process_id: string | null
}

export interface QueryServiceTables {
  query_history: QueryHistoryRow & { seq: Generated<number> }
}

export const queryServiceMigrations: MigrationSet = {
  module: 'query-service',
  migrations: {
    '20261122-16-query-service-history': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('query_history')
          .addColumn('seq', 'bigserial', (c) => c.primaryKey())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('sql', 'text', (c) => c.notNull())
          .addColumn('format', 'text', (c) => c.notNull())
          .addColumn('views', 'jsonb', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('rows', 'bigint')
          .addColumn('bytes', 'bigint')
          .addColumn('started_at', 'timestamptz', (c) => c.notNull())
          .addColumn('finished_at', 'timestamptz')
          .execute()
        await db.schema
          .createIndex('query_history_user')
          .on('query_history')
          .columns(['user_id', 'seq'])
          .execute()
      },
    },
    '20261122-19-query-service-cancel-anywhere': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('query_history')
          .addColumn('cancel_requested_at', 'timestamptz')
          .execute()
      },
    },
    '20261122-22-query-service-process': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('query_history').addColumn('process_id', 'text').execute()
      },
    },
  },
}
