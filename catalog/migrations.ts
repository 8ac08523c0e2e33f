import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'
import { PERSONAL_DATA_KINDS, SECURITY_CLASSIFICATIONS, SENSITIVITIES } from './dataset.js'

const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`)

/** The catalogue's tables: datasets, their immutable versions, and their columns. */
export const catalogMigrations: MigrationSet = {
  module: 'catalog',
  migrations: {
    '20261122-01-catalog-datasets': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('datasets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('agency', 'text', (c) => c.notNull())
          .addColumn('trusted_centre', 'text', (c) => c.notNull())
          .addColumn('source_ssots', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
          .addColumn('security_classification', 'text', (c) =>
            c.notNull().check(oneOf('security_classification', SECURITY_CLASSIFICATIONS)),
          )
          .addColumn('sensitivity', 'text', (c) =>
            c.notNull().check(oneOf('sensitivity', SENSITIVITIES)),
          )
          .addColumn('update_frequency', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute()
        await db.schema
          .createTable('dataset_versions')
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('row_count', 'bigint', (c) => c.notNull())
          .addColumn('byte_size', 'bigint', (c) => c.notNull())
          .addColumn('content_sha256', 'text', (c) => c.notNull())
          .addColumn('schema', 'jsonb', (c) => c.notNull())
          .addColumn('run_id', 'text')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('dataset_versions_pk', ['dataset_id', 'version'])
          .execute()
        await db.schema
          .createTable('dataset_columns')
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('personal_data', 'text', (c) =>
            c.notNull().check(oneOf('personal_data', PERSONAL_DATA_KINDS)),
          )
          .addPrimaryKeyConstraint('dataset_columns_pk', ['dataset_id', 'name'])
          .execute()
      },
    },
    '20261122-06-catalog-version-quality': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('dataset_versions').addColumn('quality', 'jsonb').execute()
      },
    },
    '20261122-07-catalog-samples': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('dataset_samples')
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) =>
            c.notNull().check(sql`status in ('published', 'refused')`),
          )
          .addColumn('path', 'text')
          .addColumn('row_count', 'bigint')
          .addColumn('k', 'integer', (c) => c.notNull())
          .addColumn('details', 'jsonb', (c) => c.notNull())
          .addColumn('reason', 'text')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('dataset_samples_pk', ['dataset_id', 'version'])
          .addForeignKeyConstraint(
            'dataset_samples_version',
            ['dataset_id', 'version'],
            'dataset_versions',
            ['dataset_id', 'version'],
          )
          .execute()
      },
    },
  },
}
