import type { ApiTokenStore, AuditEvent, AuditLog, SessionStore, UserStore } from '../core/index.js'
import type { Caller } from './app-env.js'
import type { Oidc } from './oidc.js'

/** What sign-in, tokens and audit routes need. */
export interface AuthDeps {
  users: UserStore
  sessions: SessionStore
  tokens: ApiTokenStore
  audit: AuditLog
  /** Undefined when no identity provider is configured. */
  oidc: Oidc | undefined
  devSignIn: boolean
  sessionTtlMs: number
  secureCookies: boolean
  /** Origin people reach the portal at, e.g. https://data.gov.example. */
  publicUrl: string
  now: () => Date
}

/** The actor of an audit event, from the caller (or whoever tried). */
export function actorOf(caller: Caller | undefined, fallback = 'anonymous'): AuditEvent['actor'] {
  return caller ? { id: caller.user.id, name: caller.user.username } : { name: fallback }
}
