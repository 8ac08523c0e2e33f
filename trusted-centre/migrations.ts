import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** The Trusted Centre's run history and its record of every delivery received. */
export const trustedCentreMigrations: MigrationSet = {
  module: 'trusted-centre',
  migrations: {
    '20261122-02-trusted-centre-runs': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('tc_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ingest', 'fuse')`))
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) =>
            c.notNull().check(sql`status in ('running', 'succeeded', 'failed')`),
          )
          .addColumn('started_at', 'timestamptz', (c) => c.notNull())
          .addColumn('finished_at', 'timestamptz')
          .addColumn('delivery_sha256', 'text')
          .addColumn('rows_in', 'bigint')
          .addColumn('accepted', 'bigint')
          .addColumn('quarantined', 'bigint')
          .addColumn('staging_path', 'text')
          .addColumn('quarantine_path', 'text')
          .addColumn('output_version', 'integer')
          .addColumn('published', 'boolean')
          .addColumn('message', 'text')
          .addCheckConstraint(
            'tc_runs_reconcile',
            sql`status <> 'succeeded' or kind <> 'ingest' or rows_in = accepted + quarantined`,
          )
          .execute()
        await db.schema
          .createIndex('tc_runs_subject')
          .on('tc_runs')
          .columns(['subject', 'started_at'])
          .execute()
        await db.schema
          .createTable('tc_deliveries')
          .addColumn('feed', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('byte_size', 'bigint', (c) => c.notNull())
          .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('run_id', 'text', (c) => c.notNull().references('tc_runs.id'))
          .addPrimaryKeyConstraint('tc_deliveries_pk', ['feed', 'sha256'])
          .execute()
      },
    },
    '20261122-05-trusted-centre-run-quality': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('tc_runs').addColumn('quality', 'jsonb').execute()
      },
    },
    '20261122-21-trusted-centre-run-process': {
      async up(db: Kysely<unknown>) {
        // The process running it: a run whose process died is marked failed, not left running.
        await db.schema.alterTable('tc_runs').addColumn('process_id', 'text').execute()
      },
    },
    '20261206-11-trusted-centre-withheld-detail': {
      async up(db: Kysely<unknown>) {
        // What a failed run's message may not quote (a refused file's first line, the engine's
        // error), kept apart for the Trusted Centre's stewards.
        await db.schema.alterTable('tc_runs').addColumn('withheld_detail', 'jsonb').execute()
        // Messages written before quoted the file (its header's names, the engine's error):
        // the text moves out of sight, the message keeps only that and why the run failed.
        await sql`update tc_runs set
            withheld_detail = jsonb_build_object('error', message),
            message = case when message like 'Header of the %'
              then split_part(message, ':', 1) || ' (its columns are kept for the Trusted Centre''s stewards)'
              when kind = 'fuse'
              then 'Fusion failed: the pipeline stopped with an engine error; nothing was published'
              else 'Ingest failed: the delivery could not be read; nothing was staged' end
          where status = 'failed' and ((kind = 'ingest'
            and (message like 'Header of the %' or message like 'Ingest failed: %'))
            or (kind = 'fuse' and message like 'Fusion failed: %'))`.execute(db)
      },
    },
  },
}
