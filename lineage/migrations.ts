import { createHash } from 'node:crypto'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'
import { canonicalJson } from '../text/index.js'

/**
 * What a FAIL event of the platform's own ingest and fusion jobs says in place of what messages
 * written before 2026-12-06 quoted of a refused file (its header's names, the engine's error, a
 * line it choked on): the Trusted Centre's wording since (as its runs were reworded, in
 * '20261206-11-trusted-centre-withheld-detail'), or, for a message of no known shape, a generic
 * one. Undefined when the message quotes nothing and stays. Frozen here, as the migration is.
 */
function withheldErrorMessage(jobName: string, message: string): string | undefined {
  const generic = "the run failed; its details are kept for the Trusted Centre's stewards"
  if (jobName.startsWith('ingest.')) {
    const failed = 'Ingest failed: the delivery could not be read; nothing was staged'
    if (message === failed) return undefined
    if (message.startsWith('Ingest failed: ')) return failed
    // Only the unexpected columns were the file's own words; the rest names the contract's.
    if (message.startsWith('Header of the '))
      return message.includes('unexpected columns:')
        ? `${message.split(':')[0]} (its columns are kept for the Trusted Centre's stewards)`
        : undefined
    return message === generic ? undefined : generic
  }
  if (jobName.startsWith('fuse.')) {
    const failed = 'Fusion failed: the pipeline stopped with an engine error; nothing was published'
    if (message === failed) return undefined
    if (message.startsWith('Fusion failed: ')) return failed
    // Assertion names and the numbers measured: nothing of the data itself.
    if (message.startsWith('Not published: blocking quality assertion failed: ')) return undefined
    return message === generic ? undefined : generic
  }
  return undefined
}

type Facets = Record<string, unknown>
type StoredEvent = { run?: { facets?: Facets } }

/** Run facets with the errorMessage facet reworded (its stack trace gone), or undefined if as is. */
function withheldRunFacets(jobName: string, facets: Facets | undefined): Facets | undefined {
  const facet = facets?.errorMessage
  if (!facets || !facet || typeof facet !== 'object') return undefined
  const { message, stackTrace, ...rest } = facet as Facets
  const reworded = withheldErrorMessage(jobName, typeof message === 'string' ? message : '')
  if (reworded === undefined && stackTrace === undefined) return undefined
  return { ...facets, errorMessage: { ...rest, message: reworded ?? message } }
}

function withheldEvent<E extends StoredEvent>(jobName: string, event: E): E | undefined {
  const facets = withheldRunFacets(jobName, event.run?.facets)
  return facets && { ...event, run: { ...event.run, facets } }
}

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
    '20261206-13-lineage-withheld-errors': {
      // FAIL events of the Trusted Centre's ingest and fusion runs quoted refused files in their
      // errorMessage facet (see withheldErrorMessage): reworded wherever lineage keeps them, the
      // events as stored, their runs, and the outbox. A rewritten event's body hash is its new
      // content's, as the store computes it; it stays one event by its run, type and time, so the
      // old text arriving again is still the same event, not stored.
      async up(db: Kysely<unknown>) {
        const ours = (job: RawBuilder<unknown>) =>
          sql`(${job} like 'ingest.%' or ${job} like 'fuse.%')`
        const events = await sql<{ id: string; job_name: string; payload: StoredEvent }>`
          select id, job_name, payload from lineage_events
          where event_type = 'FAIL' and job_namespace = 'gov-data-portal'
            and ${ours(sql.ref('job_name'))}
            and payload -> 'run' -> 'facets' -> 'errorMessage' is not null`.execute(db)
        for (const row of events.rows) {
          const payload = withheldEvent(row.job_name, row.payload)
          if (!payload) continue
          const hash = createHash('sha256').update(canonicalJson(payload)).digest('hex')
          await sql`update lineage_events
            set payload = ${JSON.stringify(payload)}::jsonb, body_sha256 = ${hash}
            where id = ${row.id}`.execute(db)
        }
        const runs = await sql<{ run_id: string; job_name: string; facets: Facets }>`
          select run_id, job_name, facets from lineage_runs
          where job_namespace = 'gov-data-portal' and ${ours(sql.ref('job_name'))}
            and facets -> 'errorMessage' is not null`.execute(db)
        for (const row of runs.rows) {
          const facets = withheldRunFacets(row.job_name, row.facets)
          if (facets)
            await sql`update lineage_runs set facets = ${JSON.stringify(facets)}::jsonb
              where run_id = ${row.run_id}`.execute(db)
        }
        // Pending and delivered alike (delivered ones are kept a while, to show where they went).
        const outbox = await sql<{ id: string; job_name: string; payload: StoredEvent }>`
          select id, payload -> 'job' ->> 'name' as job_name, payload from lineage_outbox
          where payload ->> 'eventType' = 'FAIL'
            and payload -> 'job' ->> 'namespace' = 'gov-data-portal'
            and ${ours(sql`payload -> 'job' ->> 'name'`)}
            and payload -> 'run' -> 'facets' -> 'errorMessage' is not null`.execute(db)
        for (const row of outbox.rows) {
          const payload = withheldEvent(row.job_name, row.payload)
          if (payload)
            await sql`update lineage_outbox set payload = ${JSON.stringify(payload)}::jsonb
              where id = ${row.id}`.execute(db)
        }
      },
    },
    '20261231-25-lineage-runs-by-update': {
      // A job's newest runs are read by when they last changed (the graph's latest run, the
      // run history's pages): by this index, one run or one page of them, however many the job
      // has had, not all of them sorted.
      async up(db: Kysely<unknown>) {
        await sql`create index lineage_runs_job_updated
          on lineage_runs (job_namespace, job_name, updated_at)`.execute(db)
      },
    },
  },
}
