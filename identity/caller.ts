import type { Context } from 'hono'
import { type AuditEvent, ForbiddenError, type Logger } from '../core/index.js'
import { routeServer } from '../routing/index.js'
import type { AppAbility } from './ability.js'
import type { TokenScope } from './api-token-store.js'
import type { Session } from './session-store.js'
import type { User } from './user.js'

/** Who is calling and how they proved it. */
export type Caller =
  | { via: 'session'; user: User; session: Session; sessionToken: string }
  | { via: 'api-token'; user: User; tokenId: string; scopes: TokenScope[] }
  | { via: 'oidc-token'; user: User }

/**
 * What every request carries through the middleware chain, and what every module's routes read:
 * set by the server's request id and logger middleware and by `authenticate`.
 */
export interface RouteEnv {
  Variables: {
    requestId: string
    log: Logger
    /** Undefined for an anonymous caller. */
    caller: Caller | undefined
    /** What the caller may do; empty for an anonymous caller. */
    ability: AppAbility
  }
}

/** Serves a declared route (routing's defineRoute) to handlers that read this env's caller. */
export const serve = routeServer<RouteEnv>()

/** The actor of an audit event or a change record, from the caller (or whoever tried). */
export function actorOf(caller: Caller | undefined, fallback = 'anonymous'): AuditEvent['actor'] {
  return caller ? { id: caller.user.id, name: caller.user.username } : { name: fallback }
}

/**
 * The signed-in caller. The server mounts module routes behind sign-in, so reaching one without a
 * caller is refused with `message` rather than trusted.
 */
export function signedInUser(c: Context<RouteEnv>, message: string): User {
  const caller = c.get('caller')
  if (!caller) throw new ForbiddenError(message)
  return caller.user
}
