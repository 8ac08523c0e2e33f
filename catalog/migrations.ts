import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'
import { PERSONAL_DATA_KINDS, SECURITY_CLASSIFICATIONS, SENSITIVITIES } from './dataset.js'
import { PUBLIC_CLASSIFICATION } from './public-catalogue.js'

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
    '20261122-11-catalog-search-index': {
      // Search reads a narrow copy of each dataset (its words as one weighted vector, its facet
      // values and what the read rules test; the Ministry family is the agency's) instead of the wide catalogue row: at 100,000
      // datasets a broad word matches a third of them, and scanning half the bytes halves the
      // time. Triggers keep it exact on every write path; changed_xid lets the search process
      // refresh its in-memory facet values without missing a concurrent commit.
      async up(db: Kysely<unknown>) {
        await sql`create function dataset_search_vector(title text, tags text, description text, columns text)
          returns tsvector language sql immutable as $$
            select setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
              setweight(to_tsvector('english', coalesce(tags, '')), 'B') ||
              setweight(to_tsvector('english', coalesce(description, '')), 'C') ||
              setweight(to_tsvector('english', coalesce(columns, '')), 'D') $$`.execute(db)
        await sql`create table dataset_search (
          ordinal integer generated always as identity primary key,
          dataset_id text not null unique references datasets (id) on delete cascade,
          title text not null,
          agency text not null,
          trusted_centre text not null,
          security_classification text not null,
          sensitivity text not null,
          themes text[] not null,
          update_frequency text not null,
          sample_available boolean not null,
          latest_at timestamptz not null,
          search_vector tsvector not null,
          changed_xid xid8 not null default pg_current_xact_id())`.execute(db)
        await sql`create index dataset_search_vector on dataset_search using gin (search_vector)`.execute(
          db,
        )
        await sql`create index dataset_search_changed on dataset_search (changed_xid)`.execute(db)
        // Browsing (no words): the read rules and sort keys from a narrow index, not the table.
        await sql`create index dataset_search_browse on dataset_search
          (security_classification, sensitivity, agency) include (ordinal, latest_at)`.execute(db)
        // The words of titles and tags: a typo is corrected against these few thousand words
        // (trigram similarity), then searched as full text, instead of comparing it with every title.
        await sql`create table search_words (word text primary key)`.execute(db)
        await sql`create index search_words_trgm on search_words using gin (word gin_trgm_ops)`.execute(
          db,
        )
        await sql`create function dataset_sample_available(dataset text) returns boolean language sql stable as $$
          select exists (select 1 from dataset_samples s where s.dataset_id = dataset and s.status = 'published'
            and s.version = (select max(v.version) from dataset_versions v where v.dataset_id = dataset)) $$`.execute(
          db,
        )
        await sql`create function dataset_search_sync() returns trigger language plpgsql as $$
          begin
            insert into dataset_search as s (dataset_id, title, agency, trusted_centre,
                security_classification, sensitivity, themes, update_frequency, sample_available, latest_at,
                search_vector)
              values (new.id, new.title, new.agency, new.trusted_centre,
                new.security_classification, new.sensitivity, new.themes, new.update_frequency,
                dataset_sample_available(new.id),
                coalesce((select max(v.created_at) from dataset_versions v where v.dataset_id = new.id), new.updated_at),
                dataset_search_vector(new.title, new.tags_text, new.description, new.columns_text))
            on conflict (dataset_id) do update set title = excluded.title, agency = excluded.agency,
              trusted_centre = excluded.trusted_centre,
              security_classification = excluded.security_classification, sensitivity = excluded.sensitivity,
              themes = excluded.themes, update_frequency = excluded.update_frequency,
              sample_available = excluded.sample_available, latest_at = excluded.latest_at,
              search_vector = excluded.search_vector, changed_xid = pg_current_xact_id();
            insert into search_words (word)
              select distinct w from regexp_split_to_table(lower(new.title || ' ' || new.tags_text), '[^a-z0-9]+') w
              where length(w) >= 3
            on conflict do nothing;
            return null;
          end $$`.execute(db)
        await sql`create trigger dataset_search_sync after insert or update on datasets
          for each row execute function dataset_search_sync()`.execute(db)
        await sql`create function dataset_search_versions() returns trigger language plpgsql as $$
          begin
            update dataset_search s set sample_available = dataset_sample_available(new.dataset_id),
                latest_at = greatest(s.latest_at, (select max(v.created_at) from dataset_versions v
                  where v.dataset_id = new.dataset_id)),
                changed_xid = pg_current_xact_id()
              where s.dataset_id = new.dataset_id;
            return null;
          end $$`.execute(db)
        for (const table of ['dataset_versions', 'dataset_samples'])
          await sql`create trigger dataset_search_versions after insert or update on ${sql.table(table)}
            for each row execute function dataset_search_versions()`.execute(db)
        // Fill it for the datasets already there, through the trigger itself.
        await sql`update datasets set title = title`.execute(db)
        await sql`drop index datasets_title_trgm`.execute(db)
        await sql`drop index datasets_tags_trgm`.execute(db)
        await sql`alter table datasets drop column search_vector`.execute(db)
      },
    },
    '20261206-05-catalog-sample-keep': {
      // The levels a steward asks a dataset's samples to keep, where k allows.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('datasets')
          .addColumn('sample_keep', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
          .execute()
      },
    },
    '20261206-02-catalog-personal-data-reasons': {
      // A steward who labels a column otherwise than the data suggests says why.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('dataset_columns')
          .addColumn('personal_data_reason', 'text')
          .execute()
      },
    },
    '20261224-31-catalog-search-meaning': {
      // Glossary terms gain synonyms and abbreviations (matched through search_keys, their
      // lower-cased, split forms); documents are searched with identifiers split as the query
      // is (catalog/search-text.ts): `NRIC/FIN` → nric fin, `postalCode` → postal code.
      async up(db: Kysely<unknown>) {
        await sql`alter table glossary_terms
          add column synonyms text[] not null default '{}',
          add column abbreviations text[] not null default '{}',
          add column search_keys text[] not null default '{}'`.execute(db)
        await sql
          .raw(String.raw`update glossary_terms set search_keys = array[trim(regexp_replace(
          lower(regexp_replace(term, '([a-z0-9])([A-Z])', '\1 \2', 'g')), '[^[:alnum:]]+', ' ', 'g'))]`)
          .execute(db)
        await sql`create index glossary_terms_keys on glossary_terms using gin (search_keys)`.execute(
          db,
        )
        await sql`insert into search_words (word)
          select distinct w from glossary_terms, regexp_split_to_table(lower(term), '[^a-z0-9]+') w
          where length(w) >= 3 on conflict do nothing`.execute(db)
        // The text plus each identifier in it split: 'Keyed NRIC/FIN' → 'Keyed NRIC/FIN NRIC FIN'.
        await sql
          .raw(String.raw`create function search_text(t text) returns text language sql immutable as $$
          select coalesce(t, '') || coalesce(' ' || (select string_agg(regexp_replace(
              regexp_replace(m[1], '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[/_]+', ' ', 'g'), ' ')
            from regexp_matches(t, '(\S*[a-z0-9][A-Z]\S*|\S*[^/_\s][/_]+[^/_\s]\S*)', 'g') as m), '') $$`)
          .execute(db)
        await sql`create or replace function dataset_search_vector(title text, tags text, description text, columns text)
          returns tsvector language sql immutable as $$
            select setweight(to_tsvector('english', search_text(title)), 'A') ||
              setweight(to_tsvector('english', search_text(tags)), 'B') ||
              setweight(to_tsvector('english', search_text(description)), 'C') ||
              setweight(to_tsvector('english', search_text(columns)), 'D') $$`.execute(db)
        await sql`update datasets set title = title`.execute(db)
        // Suggestions as one types match words of titles and column names anywhere.
        await sql`create index dataset_search_title_trgm on dataset_search using gin (lower(title) gin_trgm_ops)`.execute(
          db,
        )
        await sql`create index dataset_columns_name_trgm on dataset_columns using gin (lower(name) gin_trgm_ops)`.execute(
          db,
        )
      },
    },
    '20261224-52-catalog-deprecation': {
      // A steward marks a dataset deprecated, saying why and, optionally, what succeeds it.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('datasets')
          .addColumn('deprecated_at', 'timestamptz')
          .addColumn('deprecation_reason', 'text')
          .addColumn('successor_id', 'text', (c) => c.references('datasets.id'))
          .execute()
      },
    },
    '20261224-77-catalog-column-profiles': {
      // Each version's column profiles, under the sample's disclosure rules (see disclosure/).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('dataset_profiles')
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('k', 'integer', (c) => c.notNull())
          .addColumn('columns', 'jsonb', (c) => c.notNull())
          .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('dataset_profiles_pk', ['dataset_id', 'version'])
          .execute()
      },
    },
    '20261231-25-catalog-search-removals': {
      // The search process holds which datasets exist (catalog/facet-values.ts) and browses them
      // without a statement over every row, so a removal must reach it as a change does: one row
      // per removed ordinal (never reused), read by the same changed-since refresh.
      async up(db: Kysely<unknown>) {
        await sql`create table dataset_search_removed (ordinal integer primary key,
          removed_xid xid8 not null default pg_current_xact_id())`.execute(db)
        await sql`create index dataset_search_removed_xid on dataset_search_removed (removed_xid)`.execute(
          db,
        )
        await sql`create function dataset_search_removal() returns trigger language plpgsql as $$
          begin
            insert into dataset_search_removed (ordinal) values (old.ordinal)
              on conflict (ordinal) do update set removed_xid = pg_current_xact_id();
            return null;
          end $$`.execute(db)
        await sql`create trigger dataset_search_removal after delete on dataset_search
          for each row execute function dataset_search_removal()`.execute(db)
      },
    },
    '20261231-26-catalog-public-page': {
      // A page of the public catalogue (the DCAT export) is a range of this index, its count and
      // last change a scan of it alone: without it each page sorted every public row (150-240 ms
      // beside 100,000 entries).
      async up(db: Kysely<unknown>) {
        await sql`create index datasets_public_created on datasets (created_at, id) include (updated_at)
          where security_classification = ${sql.lit(PUBLIC_CLASSIFICATION.security)}
            and sensitivity = ${sql.lit(PUBLIC_CLASSIFICATION.sensitivity)}`.execute(db)
      },
    },
  },
}
