import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import {
  callerJson,
  devSignInJson,
  signInMethodsJson,
  signOutJson,
  userJson,
} from './caller-json.js'

export const devSignInBody = z.object({
  user: z.string().min(1, 'name a user, e.g. {"user": "officer.moh"}').max(MAX_LENGTH.id),
})

const SESSION_COOKIE_SET = {
  'Set-Cookie': 'The session cookie, `portal_session` (HttpOnly, SameSite=Lax, Secure over https)',
}

export const getSignInMethods = defineRoute({
  method: 'get',
  path: '/methods',
  access: 'public',
  summary: 'Which sign-in methods this deployment offers (OIDC, development picker)',
  responses: { 200: { description: 'The methods', json: ok(signInMethodsJson) } },
})

export const getMe = defineRoute({
  method: 'get',
  path: '/me',
  access: 'public',
  summary: 'The caller: user, roles, agency, and how they signed in; null when anonymous',
  description:
    'Answers `null` rather than 401 to an anonymous caller. A session also gets its CSRF token here, for the `x-csrf-token` header of its changes.',
  responses: { 200: { description: 'The caller, or null', json: ok(callerJson.nullable()) } },
})

export const signOut = defineRoute({
  method: 'post',
  path: '/sign-out',
  access: 'public',
  summary: "End the caller's session and clear its cookie",
  description: 'Audited as `auth.sign-out` when a session ends. Answers the same to anyone.',
  responses: {
    200: {
      description: 'Signed out',
      json: ok(signOutJson),
      headers: { 'Set-Cookie': 'Clears the session cookie, `portal_session`' },
    },
  },
})

export const listDevUsers = defineRoute({
  method: 'get',
  path: '/dev/users',
  access: 'public',
  summary: 'Fixture users for the development sign-in (only when it is enabled)',
  responses: {
    200: { description: 'Who one may sign in as', json: ok(z.array(userJson)) },
    404: 'Development sign-in is not enabled',
  },
})

export const devSignIn = defineRoute({
  method: 'post',
  path: '/dev/sign-in',
  access: 'public',
  summary: 'Sign in as a fixture user; answers with the session cookie (development only)',
  description:
    "Audited as `auth.sign-in`, refusals too (an unknown user or a malformed body: 400). Counted against the address's sign-in attempts a minute.",
  request: { body: devSignInBody },
  responses: {
    200: {
      description: 'Signed in',
      json: ok(devSignInJson),
      headers: SESSION_COOKIE_SET,
    },
    404: 'Development sign-in is not enabled',
  },
})

const NO_PROVIDER = 'No identity provider configured'
const TOO_MANY_SIGN_INS =
  'Too many sign-in attempts from this address a minute (SIGN_IN_ATTEMPTS_PER_MINUTE); retry after Retry-After'

export const startOidcSignIn = defineRoute({
  method: 'get',
  path: '/oidc/start',
  access: 'public',
  summary: 'Redirect to the identity provider (authorization code with PKCE)',
  request: {
    query: z.object({
      returnTo: z
        .string()
        .max(MAX_LENGTH.url)
        .optional()
        .describe('Where in the portal to land once signed in: a path on this site; `/` otherwise'),
    }),
  },
  responses: {
    302: {
      description: 'Redirect to the provider',
      headers: {
        Location: "The provider's authorization endpoint",
        'Set-Cookie': 'The sign-in state cookie, `portal_oidc_state`, for ten minutes',
      },
    },
    404: NO_PROVIDER,
    429: TOO_MANY_SIGN_INS,
  },
})

export const finishOidcSignIn = defineRoute({
  method: 'get',
  path: '/oidc/callback',
  access: 'public',
  summary: "The identity provider's redirect back; starts a session",
  description:
    "Its query parameters are the provider's (`code`, `state`, and whatever else it sends), checked by the OpenID Connect client with the browser's state cookie. Audited as `auth.sign-in`, refusals too.",
  responses: {
    302: {
      description:
        'Redirect into the portal: to `returnTo` with a session, or to `/sign-in?error=…` saying why not',
      headers: { Location: 'Where in the portal', ...SESSION_COOKIE_SET },
    },
    404: NO_PROVIDER,
    429: TOO_MANY_SIGN_INS,
  },
})

/** Signing in and out, and who is calling: public, mounted under /api/auth before sign-in is required. */
export const AUTH_API = defineModule('/auth', 'Sign-in', {
  getSignInMethods,
  getMe,
  signOut,
  listDevUsers,
  devSignIn,
  startOidcSignIn,
  finishOidcSignIn,
})
