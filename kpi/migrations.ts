import type { Kysely } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** KPI computations and their values, kept so every number can say where it came from. */
export const kpiMigrations: MigrationSet = {
  module: 'kpi',
  migrations: {
    '20261122-18-kpi-values': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('kpi_computations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          // The order computations were kept in, even within one clock tick.
          .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
          .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('inputs', 'jsonb', (c) => c.notNull())
          .addColumn('platform_records', 'jsonb', (c) => c.notNull())
          .addColumn('history_version', 'integer')
          // What it found: a recomputation that finds the same is not kept twice.
          .addColumn('content_sha256', 'text', (c) => c.notNull())
          .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('kpi_values')
          .addColumn('computation_id', 'text', (c) => c.notNull().references('kpi_computations.id'))
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('quarter', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('breakdown', 'text', (c) => c.notNull())
          .addColumn('member', 'text', (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addColumn('numerator', 'double precision', (c) => c.notNull())
          .addColumn('denominator', 'double precision', (c) => c.notNull())
          .addColumn('target', 'jsonb')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('closed', 'boolean', (c) => c.notNull())
          .addPrimaryKeyConstraint('kpi_values_pk', [
            'computation_id',
            'number',
            'year',
            'quarter',
            'breakdown',
            'member',
          ])
          .execute()
      },
    },
  },
}
