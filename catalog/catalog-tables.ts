import type { ColumnType, Generated } from 'kysely'
import type { AccessScope } from './access-request.js'
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
    updated_at: Generated<Date>
  }
  column_glossary: { dataset_id: string; column_name: string; term_id: number }
  dataset_search: DatasetSearchRow
  search_words: { word: string }
  access_requests: AccessRequestRow
  access_request_events: AccessRequestEventRow
  access_approvals: AccessApprovalRow
  grants: GrantRow
  notifications: NotificationRow
  webhooks: WebhookRow
  webhook_deliveries: WebhookDeliveryRow
}

export interface NotificationRow {
  id: Generated<number>
  recipient_id: string
  kind: string
  subject_id: string
  title: string
  body: string
  link: string
  created_at: Date
  read_at: Date | null
  once_key: string | null
}

export interface WebhookRow {
  id: string
  agency: string
  url: string
  secret: string
  created_by: string
  created_at: Date
  active: Generated<boolean>
}

export interface WebhookDeliveryRow {
  id: Generated<number>
  webhook_id: string
  event_id: string
  payload: Json<Record<string, unknown>>
  created_at: Date
  attempts: Generated<number>
  next_attempt_at: Date
  delivered_at: Date | null
  last_status: number | null
  last_error: string | null
  claim_token: string | null
}

type Json<T> = ColumnType<T, string, string>

export interface AccessRequestRow {
  id: string
  dataset_id: string
  agency: string
  requester_id: string
  requester: string
  requester_agency: string
  columns: ColumnType<string[] | null, string | null, string | null>
  purpose: string
  legal_basis: string
  duration_days: number
  project: ColumnType<
    { name: string; partnerAgencies: string[] } | null,
    string | null,
    string | null
  >
  cross_agency: boolean
  scope: Generated<AccessScope>
  state: string
  approvals_needed: number
  question: string | null
  decision_reason: string | null
  submitted_at: Date
  decided_at: Date | null
  decision_working_days: number | null
  updated_at: Date
}

export interface AccessRequestEventRow {
  id: Generated<number>
  request_id: string
  at: Date
  actor_id: string
  actor: string
  action: string
  from_state: string | null
  to_state: string
  details: Json<Record<string, unknown>>
}

export interface AccessApprovalRow {
  request_id: string
  steward_id: string
  steward: string
  at: Date
  conditions: Json<Record<string, unknown>>
}

export interface GrantRow {
  id: string
  request_id: string
  dataset_id: string
  agency: string
  grantee_id: string
  grantee: string
  grantee_agency: string
  columns: ColumnType<string[] | null, string | null, string | null>
  row_filter: Json<unknown[]>
  in_clear: ColumnType<string[], string | undefined, string>
  scope: Generated<AccessScope>
  granted_at: Date
  granted_by: Json<string[]>
  expires_at: Date
  grant_working_days: number
  revoked_at: Date | null
  revoked_by: string | null
  revoke_reason: string | null
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
