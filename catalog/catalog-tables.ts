import type { ColumnType, Generated } from 'kysely'
import type { QualitySummary } from './dataset.js'

/** Rows of the catalogue's tables as Kysely sees them (snake_case, as stored). */
export interface CatalogTables {
  datasets: DatasetRow
  dataset_versions: DatasetVersionRow
  dataset_columns: DatasetColumnRow
  dataset_samples: DatasetSampleRow
  dataset_changes: DatasetChangeRow
  dataset_stats: DatasetStatsRow
  glossary_terms: {
    id: Generated<number>
    term: string
    definition: string
    synonyms: Generated<string[]>
    abbreviations: Generated<string[]>
    /** Search keys of the term, its synonyms and abbreviations (catalog/search-text.ts). */
    search_keys: Generated<string[]>
    updated_at: Generated<Date>
  }
  column_glossary: { dataset_id: string; column_name: string; term_id: number }
  dataset_search: DatasetSearchRow
  search_words: { word: string }
}

/** The narrow copy of a dataset that search reads; kept by triggers, never written directly. */
export interface DatasetSearchRow {
  ordinal: Generated<number>
  dataset_id: string
  title: string
  agency: string
  trusted_centre: string
  security_classification: string
  sensitivity: string
  themes: string[]
  update_frequency: string
  sample_available: boolean
  latest_at: Date
  search_vector: string
  /** Transaction that last changed the row (xid8, as text). */
  changed_xid: Generated<string>
}

export interface DatasetChangeRow {
  id: Generated<number>
  dataset_id: string
  changed_at: Generated<Date>
  actor_id: string | null
  actor: string
  field: string
  old_value: ColumnType<unknown, string | null, string | null>
  new_value: ColumnType<unknown, string | null, string | null>
}

export interface DatasetStatsRow {
  dataset_id: string
  views: Generated<number>
  downloads: Generated<number>
  queries: Generated<number>
}

export interface DatasetSampleRow {
  dataset_id: string
  version: number
  status: 'published' | 'refused'
  path: string | null
  row_count: number | null
  k: number
  details: ColumnType<Record<string, unknown>, string, string>
  reason: string | null
  created_at: Generated<Date>
}

export interface DatasetRow {
  id: string
  slug: string
  title: string
  description: string
  agency: string
  trusted_centre: string
  source_ssots: string[]
  security_classification: string
  sensitivity: string
  update_frequency: string
  themes: Generated<string[]>
  tags: Generated<string[]>
  coverage_start: Date | null
  coverage_end: Date | null
  licence: Generated<string>
  contact_email: Generated<string>
  sample_keep: ColumnType<Record<string, string>, string | undefined, string>
  tags_text: Generated<string>
  columns_text: Generated<string>
  created_at: Generated<Date>
  updated_at: Generated<Date>
  /** Set while the dataset is deprecated (catalog/dataset-deprecation.ts). */
  deprecated_at: Date | null
  deprecation_reason: string | null
  successor_id: string | null
}

export interface DatasetVersionRow {
  dataset_id: string
  version: number
  path: string
  row_count: number
  byte_size: number
  content_sha256: string
  schema: ColumnType<VersionSchemaColumn[], string, string>
  quality: ColumnType<QualitySummary | null, string | null, string | null>
  run_id: string | null
  created_at: Generated<Date>
}

export interface VersionSchemaColumn {
  name: string
  type: string
}

export interface DatasetColumnRow {
  dataset_id: string
  position: number
  name: string
  type: string
  description: string
  personal_data: string
  personal_data_reason: string | null
  is_core_field: Generated<boolean>
  authority_ssot: string | null
}
