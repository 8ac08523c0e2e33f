import type { ColumnType, Generated } from 'kysely'

/** Rows of core's tables: identity (agencies, users, sessions, tokens, sign-in flows) and audit. */
export interface CoreTables {
  agencies: AgencyRow
  users: UserRow
  sessions: SessionRow
  api_tokens: ApiTokenRow
  auth_flows: AuthFlowRow
  audit_log: AuditRow
  processes: ProcessRow
  rate_limits: RateLimitRow
}

/** Requests counted for one key (a person's changes) in one minute, shared by every replica. */
export interface RateLimitRow {
  key: string
  window_start: Date
  hits: number
}

/** A server or command process that is alive while it beats (see process-registry.ts). */
export interface ProcessRow {
  id: string
  kind: string
  host: string
  pid: number
  started_at: Date
  heartbeat_at: Date
}

export interface AgencyRow {
  code: string
  name: string
  ministry_family: string
}

export interface UserRow {
  id: string
  username: string
  display_name: string
  email: string
  agency_code: string
  roles: string[]
  oidc_issuer: string | null
  oidc_subject: string | null
  created_at: Generated<Date>
  disabled_at: Date | null
}

export interface SessionRow {
  id_hash: string
  user_id: string
  csrf_token: string
  method: string
  created_at: Generated<Date>
  expires_at: Date
}

export interface ApiTokenRow {
  id: string
  user_id: string
  name: string
  token_hash: string
  scopes: string[]
  created_at: Generated<Date>
  expires_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface AuthFlowRow {
  state: string
  code_verifier: string
  nonce: string
  return_to: string
  expires_at: Date
}

export interface AuditRow {
  seq: number
  occurred_at: Date
  actor_id: string | null
  actor: string
  action: string
  outcome: string
  subject_type: string | null
  subject_id: string | null
  details: ColumnType<Record<string, unknown>, string, string>
  request_id: string | null
  prev_hash: string
  /** The audit key's id; null for entries chained before the trail was keyed. */
  key_id: string | null
  hash: string
}
