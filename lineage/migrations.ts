import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** The lineage event store: every OpenLineage event, as received, appended. */
export const lineageMigrations: MigrationSet = {
  module: 'lineage',
  migrations: {
    '20261122-08-lineage-events': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('lineage_events')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('run_id', 'text', (c) => c.notNull())
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('event_time', 'timestamptz', (c) => c.notNull())
          .addColumn('job_namespace', 'text', (c) => c.notNull())
          .addColumn('job_name', 'text', (c) => c.notNull())
          .addColumn('payload', 'jsonb', (c) => c.notNull())
          .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          // The same run, event type and time is one event, however often it arrives.
          .addUniqueConstraint('lineage_events_once', ['run_id', 'event_type', 'event_time'])
          .execute()
        await db.schema
          .createIndex('lineage_events_job')
          .on('lineage_events')
          .columns(['job_namespace', 'job_name', 'event_time'])
          .execute()
      },
    },
  },
}
