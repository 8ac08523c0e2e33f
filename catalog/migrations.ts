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
    '20261122-09-catalog-metadata-and-search': {
      async up(db: Kysely<unknown>) {
        await sql`create extension if not exists pg_trgm`.execute(db)
        await db.schema
          .alterTable('datasets')
          .addColumn('themes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
          .addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
          .addColumn('coverage_start', 'date')
          .addColumn('coverage_end', 'date')
          .addColumn('licence', 'text', (c) =>
            c
              .notNull()
              .defaultTo('Government use only, under the data-sharing terms of the owning agency'),
          )
          .addColumn('contact_email', 'text', (c) => c.notNull().defaultTo(''))
          // Kept by the store from tags and columns, so one generated vector can weight them.
          .addColumn('tags_text', 'text', (c) => c.notNull().defaultTo(''))
          .addColumn('columns_text', 'text', (c) => c.notNull().defaultTo(''))
          .execute()
        await sql`alter table datasets add column search_vector tsvector generated always as (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(tags_text, '')), 'B') ||
          setweight(to_tsvector('english', coalesce(description, '')), 'C') ||
          setweight(to_tsvector('english', coalesce(columns_text, '')), 'D')) stored`.execute(db)
        await sql`create index datasets_search on datasets using gin (search_vector)`.execute(db)
        await sql`create index datasets_title_trgm on datasets using gin (lower(title) gin_trgm_ops)`.execute(
          db,
        )
        await sql`create index datasets_tags_trgm on datasets using gin (lower(tags_text) gin_trgm_ops)`.execute(
          db,
        )
        await db.schema
          .alterTable('dataset_columns')
          .addColumn('is_core_field', 'boolean', (c) => c.notNull().defaultTo(false))
          .addColumn('authority_ssot', 'text')
          .execute()
        await db.schema
          .createTable('dataset_changes')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('actor_id', 'text')
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('old_value', 'jsonb')
          .addColumn('new_value', 'jsonb')
          .execute()
        await db.schema
          .createIndex('dataset_changes_dataset')
          .on('dataset_changes')
          .columns(['dataset_id', 'changed_at'])
          .execute()
        await db.schema
          .createTable('dataset_stats')
          .addColumn('dataset_id', 'text', (c) => c.primaryKey().references('datasets.id'))
          .addColumn('views', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('downloads', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('queries', 'bigint', (c) => c.notNull().defaultTo(0))
          .execute()
      },
    },
    '20261122-10-catalog-glossary': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('glossary_terms')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('term', 'text', (c) => c.notNull().unique())
          .addColumn('definition', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute()
        await db.schema
          .createTable('column_glossary')
          .addColumn('dataset_id', 'text', (c) => c.notNull())
          .addColumn('column_name', 'text', (c) => c.notNull())
          .addColumn('term_id', 'bigint', (c) => c.notNull().references('glossary_terms.id'))
          .addPrimaryKeyConstraint('column_glossary_pk', ['dataset_id', 'column_name', 'term_id'])
          .addForeignKeyConstraint(
            'column_glossary_column',
            ['dataset_id', 'column_name'],
            'dataset_columns',
            ['dataset_id', 'name'],
            (fk) => fk.onDelete('cascade'),
          )
          .execute()
      },
    },
  },
}
