import type { ColumnType, Generated, Kysely } from 'kysely'
import type { CatalogTables } from '../catalog/index.js'
import type { IdentityTables } from '../identity/index.js'
import type { NotificationTables } from '../notifications/index.js'
import type { AccessScope } from './access-request.js'

type Json<T> = ColumnType<T, string, string>

/**
 * Rows of the sharing workflow's tables (requests, their events and approvals, grants), with the
 * catalogue's and the notifications' tables the workflow reads and writes in its transactions.
 */
export interface AccessTables extends CatalogTables, NotificationTables {
  access_requests: AccessRequestRow
  access_request_events: AccessRequestEventRow
  access_approvals: AccessApprovalRow
  grants: GrantRow
  grant_usage: GrantUsageRow
}

/** The database as the workflow's store sees it: its tables, and the users stewards are among. */
export type AccessDb = Kysely<AccessTables & Pick<IdentityTables, 'users'>>

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

/** One grant's use by its grantee: one row per grant used at least once. */
export interface GrantUsageRow {
  grant_id: string
  queries: Generated<number>
  downloads: Generated<number>
  last_used_at: Date
}
