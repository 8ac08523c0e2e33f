import { z } from 'zod'
import { ROLES, type User } from './user.js'

/** The shapes the sign-in API answers with, as JSON. */

export const userJson = z.strictObject({
  id: z.string().describe('`u_` + 24 hex digits'),
  username: z.string(),
  displayName: z.string(),
  email: z.string().describe('Empty when the identity provider gave none'),
  agency: z.strictObject({
    code: z.string().describe('e.g. `DOS`'),
    name: z.string(),
    ministryFamily: z.string().describe('e.g. `MTI`'),
  }),
  roles: z.array(z.enum(ROLES)),
})

/** The caller, as `GET /api/auth/me` shows them. */
export const callerJson = z.strictObject({
  user: userJson,
  via: z
    .enum(['session', 'api-token', 'oidc-token'])
    .describe("A browser session, a personal API token, or the identity provider's access token"),
  csrfToken: z
    .string()
    .nullable()
    .describe("The session's token for the X-CSRF-Token header; null when not a session"),
})

export const signInMethodsJson = z.strictObject({
  oidc: z.boolean().describe('Whether an OpenID Connect provider is configured'),
  dev: z.boolean().describe('Whether the development picker is enabled'),
})

export const devSignInJson = z.strictObject({
  user: userJson,
  csrfToken: z.string().describe('Send it as X-CSRF-Token on every change from this session'),
})

export const signOutJson = z.strictObject({ signedOut: z.literal(true) })

/** The user as the API shows them. */
export function toUserJson(user: User): z.output<typeof userJson> {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    agency: user.agency,
    roles: user.roles,
  }
}
