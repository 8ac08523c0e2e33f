import type { Generated } from 'kysely'

/** Rows of identity's tables: agencies, users, sessions, API tokens and sign-in flows. */
export interface IdentityTables {
  agencies: AgencyRow
  users: UserRow
  sessions: SessionRow
  api_tokens: ApiTokenRow
  auth_flows: AuthFlowRow
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
