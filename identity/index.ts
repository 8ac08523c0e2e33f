/**
 * @module identity
 * Who is calling and what they may do: agencies, users, sessions, API tokens, the access rules
 * (one ability per request, and the same rules as SQL filters), OpenID Connect, the sign-in and
 * token routes, and the middleware that authenticates each request and sets its caller.
 */

export {
  type Action,
  type AppAbility,
  asSubject,
  assertCan,
  defineAbilityFor,
  publicAbility,
  systemAbility,
} from './ability.js'
export { accessibleWhere } from './ability-filter.js'
export { createApiTokenStore } from './api-token-store.js'
export type { AuthDeps } from './auth-deps.js'
export { authenticate, csrfProtection, requireSignIn } from './authenticate.js'
export type { RouteEnv } from './caller.js'
export { actorOf, serve, signedInUser } from './caller.js'
export { auditRefusedDevSignIns } from './dev-sign-in-routes.js'
export type { IdentityTables } from './identity-tables.js'
export { identityMigrations } from './migrations.js'
export { createOidc } from './oidc.js'
export { createSessionStore } from './session-store.js'
export { AUTH_API } from './sign-in-api.js'
export { authRoutes } from './sign-in-routes.js'
export { TOKENS_API, tokenRoutes } from './token-routes.js'
export type {
  Agency,
  User,
  UserId,
} from './user.js'
export { createUserStore, type UserProfile } from './user-store.js'
