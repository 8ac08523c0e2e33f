import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { InvalidInputError } from '../core/index.js'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import type { AuthDeps } from './auth-deps.js'
import type { RouteEnv } from './caller.js'
import { actorOf, serve } from './caller.js'
import {
  callerJson,
  devSignInJson,
  signInMethodsJson,
  signOutJson,
  toUserJson,
  userJson,
} from './caller-json.js'
import type { OidcClaims } from './oidc.js'
import {
  clearSessionCookie,
  setSessionCookie,
  setStateCookie,
  takeStateCookie,
} from './session-cookie.js'
import { isRole, type User } from './user.js'
import type { UserProfile } from './user-store.js'

export const devSignInBody = z.object({
  user: z.string().min(1, 'name a user, e.g. {"user": "officer.moh"}').max(MAX_LENGTH.id),
})

/** A development sign-in as somebody the portal does not know. */
class UnknownUserError extends InvalidInputError {
  constructor(username: string) {
    super(`Unknown user '${username}': GET /api/auth/dev/users lists who you can sign in as`)
  }
}

/** A name as sent, for the record: control characters and lone surrogates escaped, cut short. */
function printableName(name: string): string {
  const escaped = name.replace(
    /[\p{Cc}\p{Cs}]/gu,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return escaped.length > 100 ? `${escaped.slice(0, 100)}…` : escaped
}

/**
 * Records every refused development sign-in in the audit trail, once: an unknown user, a
 * malformed body, text no field may hold. Mounted before the input checks so that their refusals
 * are recorded too; a body over the limit, or an address past its attempts a minute, is refused
 * before it and writes nothing.
 */
export function auditRefusedDevSignIns(deps: AuthDeps): MiddlewareHandler<RouteEnv> {
  return async function auditRefusedDevSignIns(c, next) {
    await next()
    if (c.req.method !== 'POST' || !deps.devSignIn || c.res.status !== 400) return
    const sent = (await c.req.json().catch(() => undefined)) as { user?: unknown } | undefined
    const user = sent?.user
    await deps.audit.append(
      {
        actor: { name: typeof user === 'string' && user !== '' ? printableName(user) : 'unknown' },
        action: 'auth.sign-in',
        outcome: 'failed',
        details: {
          method: 'dev',
          reason:
            c.error instanceof UnknownUserError
              ? 'unknown user'
              : `malformed request: ${(c.error?.message ?? 'refused').slice(0, 300)}`,
        },
        requestId: c.get('requestId'),
      },
      deps.now(),
    )
  }
}

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

/** Sign-in (OIDC and, when enabled, the development picker), the caller's identity, and sign-out. */
export function authRoutes(deps: AuthDeps) {
  const startSession = async (user: User, method: 'oidc' | 'dev', c: Context<RouteEnv>) => {
    const session = await deps.sessions.createSession(user, method, deps.now(), deps.sessionTtlMs)
    setSessionCookie(c, session.token, session.expiresAt, deps.secureCookies)
    await deps.audit.append(
      {
        actor: { id: user.id, name: user.username },
        action: 'auth.sign-in',
        outcome: 'succeeded',
        details: { method },
        requestId: c.get('requestId'),
      },
      deps.now(),
    )
    return session
  }
  const requireDev = () => {
    if (!deps.devSignIn)
      throw new HTTPException(404, { message: 'Development sign-in is not enabled' })
  }

  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(getSignInMethods, (c) =>
        c.json(
          { ok: true as const, data: { oidc: deps.oidc !== undefined, dev: deps.devSignIn } },
          200,
        ),
      ),
    )
    .route(
      '/',
      // Answers null rather than 401 to an anonymous caller: "nobody" is a normal answer here.
      serve(getMe, (c) => {
        const caller = c.get('caller')
        if (!caller) return c.json({ ok: true as const, data: null }, 200)
        return c.json(
          {
            ok: true as const,
            data: {
              user: toUserJson(caller.user),
              via: caller.via,
              csrfToken: caller.via === 'session' ? caller.session.csrfToken : null,
            },
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(signOut, async (c) => {
        const caller = c.get('caller')
        if (caller?.via === 'session') {
          await deps.sessions.deleteSession(caller.sessionToken)
          await deps.audit.append(
            {
              actor: actorOf(caller),
              action: 'auth.sign-out',
              outcome: 'succeeded',
              requestId: c.get('requestId'),
            },
            deps.now(),
          )
        }
        clearSessionCookie(c, deps.secureCookies)
        return c.json({ ok: true as const, data: { signedOut: true as const } }, 200)
      }),
    )
    .route(
      '/',
      serve(listDevUsers, async (c) => {
        requireDev()
        const users = await deps.users.listUsers()
        return c.json({ ok: true as const, data: users.map(toUserJson) }, 200)
      }),
    )
    .route(
      '/',
      serve(devSignIn, async (c) => {
        requireDev()
        const body = c.req.valid('json')
        const user = await deps.users.findUserByUsername(body.user)
        // Audited, as every refused development sign-in is, by auditRefusedDevSignIns.
        if (!user) throw new UnknownUserError(body.user)
        const session = await startSession(user, 'dev', c)
        return c.json(
          { ok: true as const, data: { user: toUserJson(user), csrfToken: session.csrfToken } },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(startOidcSignIn, async (c) => {
        const oidc = deps.oidc
        if (!oidc)
          throw new HTTPException(404, { message: 'OpenID Connect sign-in is not configured' })
        const start = await oidc.start()
        await deps.sessions.saveAuthFlow({
          state: start.state,
          codeVerifier: start.codeVerifier,
          nonce: start.nonce,
          returnTo: safeReturnTo(c.req.valid('query').returnTo),
          expiresAt: new Date(deps.now().getTime() + 600_000),
        })
        setStateCookie(c, start.state, deps.secureCookies)
        return c.redirect(start.url.toString(), 302)
      }),
    )
    .route(
      '/',
      serve(finishOidcSignIn, async (c) => {
        const oidc = deps.oidc
        if (!oidc)
          throw new HTTPException(404, { message: 'OpenID Connect sign-in is not configured' })
        const state = c.req.query('state') ?? ''
        const cookieState = takeStateCookie(c, deps.secureCookies)
        const flow =
          state && cookieState === state
            ? await deps.sessions.takeAuthFlow(state, deps.now())
            : undefined
        const fail = async (reason: string) => {
          await deps.audit.append(
            {
              actor: { name: 'unknown' },
              action: 'auth.sign-in',
              outcome: 'failed',
              details: { method: 'oidc', reason },
              requestId: c.get('requestId'),
            },
            deps.now(),
          )
          return c.redirect(`/sign-in?error=${encodeURIComponent(reason)}`, 302)
        }
        if (!flow)
          return fail('The sign-in expired or was started in another browser: please try again')
        const callbackUrl = new URL(
          `${deps.publicUrl}${c.req.path}?${new URL(c.req.url).searchParams}`,
        )
        let user: User
        try {
          const claims = await oidc.finish(callbackUrl, flow)
          user = await deps.users.findOrLinkOidcUser(
            oidc.issuer,
            claims.sub,
            await profileOf(claims, deps),
          )
        } catch (error) {
          return fail(
            error instanceof Error ? error.message : 'The identity provider refused the sign-in',
          )
        }
        await startSession(user, 'oidc', c)
        return c.redirect(flow.returnTo, 302)
      }),
    )
}

/** Only paths on this site, never another origin (open-redirect protection). */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/'
}

async function profileOf(claims: OidcClaims, deps: AuthDeps): Promise<UserProfile> {
  const agencyCode = claims.agency?.toUpperCase()
  if (!agencyCode || !(await deps.users.findAgency(agencyCode))) {
    throw new Error(
      `Your agency${agencyCode ? ` '${agencyCode}'` : ''} is not registered on the portal: ask an administrator`,
    )
  }
  const roles = (claims.roles ?? []).filter(isRole)
  return {
    username: claims.preferred_username ?? claims.email ?? claims.sub,
    displayName: claims.name ?? claims.preferred_username ?? claims.sub,
    email: claims.email ?? '',
    agencyCode,
    roles: roles.length > 0 ? roles : ['officer'],
  }
}
