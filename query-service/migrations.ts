import type { ColumnType, Generated, Kysely } from 'kysely'
import type { MigrationSet } from '../core/index.js'
import type { SavedQueryTables } from './saved-queries.js'

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
  /** Why it ran: `workbench`, `preview` (a dataset page's sample) or `api`. */
  purpose: ColumnType<string, string | undefined, string>
}

/** One of a person's query slots, taken by a running query or extract on any replica. */
export interface QuerySlotRow {
  user_id: string
  /** 0 … QUERY_MAX_PER_USER − 1: the primary key with user_id is what makes the limit global. */
  slot: number
  /** Who took it: a release frees only its own slot. */
  holder: string
  process_id: string | null
  taken_at: Date
}

/**
 * An aggregate answer released under an aggregate-only grant: enough to recompute the people of
 * each released cell, so that a later answer differing from it by a few people is refused.
 */
export interface AggregateReleaseRow {
  id: Generated<number>
  query_id: string
  grantee_id: string
  dataset_id: string
  /** 1, 2, … per person and dataset: two answers checked at once cannot both be released. */
  seq: number
  /** SQL of the cell key and of the WHERE clause, over the dataset's columns. */
  cell_sql: string
  where_sql: string | null
  groups: ColumnType<string[], string, string>
  /** The keys of the cells released. */
  cells: ColumnType<string[], string, string>
  released_at: Date
}

export interface QueryServiceTables extends SavedQueryTables {
  query_history: QueryHistoryRow & { seq: Generated<number> }
  query_slots: QuerySlotRow
  aggregate_releases: AggregateReleaseRow
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
    // A query's id is the person's own: another person's ids neither clash with nor reveal theirs.
    '20261206-01-query-service-ids-per-person': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('query_history').dropConstraint('query_history_id_key').execute()
        await db.schema
          .createIndex('query_history_user_id')
          .on('query_history')
          .columns(['user_id', 'id'])
          .unique()
          .execute()
      },
    },
    // A dataset page's sample preview is kept apart from the queries a person wrote.
    '20261207-21-query-service-history-purpose': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('query_history')
          .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('api'))
          .execute()
      },
    },
    '20261122-23-query-service-person-slots': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('query_slots')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('slot', 'integer', (c) => c.notNull())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('process_id', 'text')
          .addColumn('taken_at', 'timestamptz', (c) => c.notNull())
          .addPrimaryKeyConstraint('query_slots_pk', ['user_id', 'slot'])
          .execute()
        await db.schema
          .createIndex('query_slots_process')
          .on('query_slots')
          .column('process_id')
          .execute()
      },
    },
    '20261206-04-query-service-aggregate-releases': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('aggregate_releases')
          .addColumn('id', 'serial', (c) => c.primaryKey())
          .addColumn('query_id', 'text', (c) => c.notNull())
          .addColumn('grantee_id', 'text', (c) => c.notNull())
          .addColumn('dataset_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('cell_sql', 'text', (c) => c.notNull())
          .addColumn('where_sql', 'text')
          .addColumn('groups', 'jsonb', (c) => c.notNull())
          .addColumn('cells', 'jsonb', (c) => c.notNull())
          .addColumn('released_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('aggregate_releases_person')
          .on('aggregate_releases')
          .columns(['grantee_id', 'dataset_id', 'seq'])
          .unique()
          .execute()
      },
    },
    // Saved queries: named SQL with typed $name parameters, opened by link, run as the opener.
    '20261207-31-query-service-saved-queries': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('saved_queries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('owner_id', 'text', (c) => c.notNull())
          .addColumn('owner_name', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('sql', 'text', (c) => c.notNull())
          .addColumn('parameters', 'jsonb', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('saved_queries_owner')
          .on('saved_queries')
          .columns(['owner_id', 'updated_at'])
          .execute()
      },
    },
  },
}
