import type { AppAbility, Logger, Session, TokenScope, User } from '../core/index.js'

/** Who is calling and how they proved it. */
export type Caller =
  | { via: 'session'; user: User; session: Session; sessionToken: string }
  | { via: 'api-token'; user: User; tokenId: string; scopes: TokenScope[] }
  | { via: 'oidc-token'; user: User }

/** What every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string
    log: Logger
    /** Undefined for an anonymous caller. */
    caller: Caller | undefined
    /** What the caller may do; empty for an anonymous caller. */
    ability: AppAbility
  }
}
