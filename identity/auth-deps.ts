import type { AuditRecorder } from '../core/index.js'
import type { ApiTokenStore } from './api-token-store.js'
import type { Oidc } from './oidc.js'
import type { SessionStore } from './session-store.js'
import type { UserStore } from './user-store.js'

/** What the sign-in and token routes and the authenticating middleware need. */
export interface AuthDeps {
  users: UserStore
  sessions: SessionStore
  tokens: ApiTokenStore
  audit: AuditRecorder
  /** Undefined when no identity provider is configured. */
  oidc: Oidc | undefined
  devSignIn: boolean
  sessionTtlMs: number
  secureCookies: boolean
  /** Origin people reach the portal at, e.g. https://data.gov.example. */
  publicUrl: string
  now: () => Date
}
