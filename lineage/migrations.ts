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
    '20261122-09-lineage-graph': {
      async up(db: Kysely<unknown>) {
        // Dataset and job events have no run: they are kept once by their content's hash.
        for (const column of ['run_id', 'event_type', 'job_namespace', 'job_name'])
          await db.schema
            .alterTable('lineage_events')
            .alterColumn(column, (c) => c.dropNotNull())
            .execute()
        await db.schema
          .alterTable('lineage_events')
          .addColumn('event_kind', 'text', (c) => c.notNull().defaultTo('RunEvent'))
          .addColumn('body_sha256', 'text')
          .addColumn('warnings', 'jsonb')
          .execute()
        await sql`update lineage_events set body_sha256 = encode(sha256(convert_to(payload::text, 'UTF8')), 'hex')`.execute(
          db,
        )
        await db.schema
          .createIndex('lineage_events_body')
          .unique()
          .on('lineage_events')
          .column('body_sha256')
          .execute()
        const entity = (table: string) =>
          db.schema
            .createTable(table)
            .addColumn('namespace', 'text', (c) => c.notNull())
            .addColumn('name', 'text', (c) => c.notNull())
            // The newest facet of each key (a facet replaces its predecessor whole), and when.
            .addColumn('facets', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
            .addColumn('facets_time', 'timestamptz', (c) => c.notNull())
            .addColumn('created_at', 'timestamptz', (c) => c.notNull())
            .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ['namespace', 'name'])
        await entity('lineage_jobs').execute()
        await entity('lineage_datasets').execute()
        await db.schema
          .createTable('lineage_runs')
          .addColumn('run_id', 'text', (c) => c.primaryKey())
          .addColumn('job_namespace', 'text', (c) => c.notNull())
          .addColumn('job_name', 'text', (c) => c.notNull())
          // NEW, RUNNING, COMPLETED, FAILED or ABORTED; the first terminal state stays.
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('started_at', 'timestamptz')
          .addColumn('ended_at', 'timestamptz')
          .addColumn('facets', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
          // Per output: rows and bytes written; per input: quality assertions passed and failed.
          .addColumn('outputs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
          .addColumn('quality', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('lineage_runs_job')
          .on('lineage_runs')
          .columns(['job_namespace', 'job_name', 'started_at'])
          .execute()
        // Job-to-dataset edges of the static graph: which jobs read and write which datasets.
        await db.schema
          .createTable('lineage_edges')
          .addColumn('job_namespace', 'text', (c) => c.notNull())
          .addColumn('job_name', 'text', (c) => c.notNull())
          .addColumn('dataset_namespace', 'text', (c) => c.notNull())
          .addColumn('dataset_name', 'text', (c) => c.notNull())
          .addColumn('direction', 'text', (c) => c.notNull())
          .addColumn('last_run_id', 'text')
          .addColumn('first_seen', 'timestamptz', (c) => c.notNull())
          .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
          .addPrimaryKeyConstraint('lineage_edges_pk', [
            'job_namespace',
            'job_name',
            'dataset_namespace',
            'dataset_name',
            'direction',
          ])
          .execute()
        await db.schema
          .createIndex('lineage_edges_dataset')
          .on('lineage_edges')
          .columns(['dataset_namespace', 'dataset_name'])
          .execute()
        await db.schema
          .createTable('lineage_dataset_versions')
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('run_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('facets', 'jsonb', (c) => c.notNull())
          .addPrimaryKeyConstraint('lineage_dataset_versions_pk', ['namespace', 'name', 'version'])
          .execute()
        // Column lineage: each output column's input columns, with how it is made from them.
        await db.schema
          .createTable('lineage_column_edges')
          .addColumn('namespace', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('input_namespace', 'text', (c) => c.notNull())
          .addColumn('input_name', 'text', (c) => c.notNull())
          .addColumn('input_field', 'text', (c) => c.notNull())
          .addColumn('transformations', 'jsonb', (c) => c.notNull())
          .addPrimaryKeyConstraint('lineage_column_edges_pk', [
            'namespace',
            'name',
            'field',
            'input_namespace',
            'input_name',
            'input_field',
          ])
          .execute()
        await db.schema
          .createIndex('lineage_column_edges_input')
          .on('lineage_column_edges')
          .columns(['input_namespace', 'input_name', 'input_field'])
          .execute()
      },
    },
    '20261122-17-lineage-outbox': {
      // Events for external transports wait here, so a restart loses none, and a run can show
      // whether its events reached each consumer.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('lineage_outbox')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('transport', 'text', (c) => c.notNull())
          .addColumn('run_id', 'text')
          .addColumn('payload', 'jsonb', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
          .addColumn('delivered_at', 'timestamptz')
          .addColumn('last_error', 'text')
          .addColumn('claim_token', 'text')
          .execute()
        await sql`create index lineage_outbox_pending on lineage_outbox (transport, id)
          where delivered_at is null`.execute(db)
        await sql`create index lineage_outbox_run on lineage_outbox (run_id)
          where run_id is not null`.execute(db)
      },
    },
    '20261206-12-lineage-namespaces': {
      // Who owns each namespace other tools write into: an agency's stewards write only to theirs.
      // No foreign key to agencies: the lineage module's tables stand alone (its tests and bench
      // migrate only them); the route checks the agency exists.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('lineage_namespaces')
          .addColumn('namespace', 'text', (c) => c.primaryKey())
          // Every spelling of one namespace (case, trailing slash, encoding) has one owner.
          .addColumn('canonical', 'text', (c) => c.notNull().unique())
          .addColumn('agency', 'text', (c) => c.notNull())
          .addColumn('registered_by', 'text', (c) => c.notNull())
          .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('lineage_namespaces_agency')
          .on('lineage_namespaces')
          .column('agency')
          .execute()
      },
    },
  },
}
