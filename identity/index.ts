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
  DISCOVERABLE_SECURITY,
  defineAbilityFor,
  publicAbility,
  type Subjects,
  type SubjectType,
  systemAbility,
} from './ability.js'
export { accessibleWhere } from './ability-filter.js'
export {
  type ApiToken,
  type ApiTokenStore,
  createApiTokenStore,
  MAX_TOKEN_DAYS,
  TOKEN_SCOPES,
  type TokenScope,
} from './api-token-store.js'
export type { AuthDeps } from './auth-deps.js'
export { authenticate, csrfProtection, requireSignIn } from './authenticate.js'
export type { RouteEnv } from './caller.js'
export { actorOf, type Caller, signedInUser } from './caller.js'
export type { IdentityTables } from './identity-tables.js'
export { identityMigrations } from './migrations.js'
export { createOidc, type Oidc, type OidcClaims } from './oidc.js'
export {
  type AuthFlow,
  createSessionStore,
  type NewSession,
  type Session,
  type SessionStore,
} from './session-store.js'
export { auditRefusedDevSignIns, authRoutes, devSignInBody } from './sign-in-routes.js'
export { createTokenBody, tokenRoutes } from './token-routes.js'
export {
  type Agency,
  isRole,
  parseUserId,
  ROLES,
  type Role,
  type User,
  type UserId,
} from './user.js'
export { createUserStore, type UserProfile, type UserStore } from './user-store.js'
