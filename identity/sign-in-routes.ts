import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { InvalidInputError } from '../core/index.js'
import { validate } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import type { AuthDeps } from './auth-deps.js'
import type { RouteEnv } from './caller.js'
import { actorOf } from './caller.js'
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

  return (
    new Hono<RouteEnv>()
      .get('/methods', (c) =>
        c.json({ ok: true as const, data: { oidc: deps.oidc !== undefined, dev: deps.devSignIn } }),
      )

      // Answers null rather than 401 to an anonymous caller: "nobody" is a normal answer here.
      .get('/me', (c) => {
        const caller = c.get('caller')
        if (!caller) return c.json({ ok: true as const, data: null })
        return c.json({
          ok: true as const,
          data: {
            user: userJson(caller.user),
            via: caller.via,
            csrfToken: caller.via === 'session' ? caller.session.csrfToken : null,
          },
        })
      })

      .post('/sign-out', async (c) => {
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
        return c.json({ ok: true as const, data: { signedOut: true } })
      })

      .get('/dev/users', async (c) => {
        requireDev()
        const users = await deps.users.listUsers()
        return c.json({ ok: true as const, data: users.map(userJson) })
      })

      .post('/dev/sign-in', validate('json', devSignInBody), async (c) => {
        requireDev()
        const body = c.req.valid('json')
        const user = await deps.users.findUserByUsername(body.user)
        // Audited, as every refused development sign-in is, by auditRefusedDevSignIns.
        if (!user) throw new UnknownUserError(body.user)
        const session = await startSession(user, 'dev', c)
        return c.json({
          ok: true as const,
          data: { user: userJson(user), csrfToken: session.csrfToken },
        })
      })

      .get('/oidc/start', async (c) => {
        const oidc = deps.oidc
        if (!oidc)
          throw new HTTPException(404, { message: 'OpenID Connect sign-in is not configured' })
        const start = await oidc.start()
        await deps.sessions.saveAuthFlow({
          state: start.state,
          codeVerifier: start.codeVerifier,
          nonce: start.nonce,
          returnTo: safeReturnTo(c.req.query('returnTo')),
          expiresAt: new Date(deps.now().getTime() + 600_000),
        })
        setStateCookie(c, start.state, deps.secureCookies)
        return c.redirect(start.url.toString(), 302)
      })

      .get('/oidc/callback', async (c) => {
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
      })
  )
}

/** The user as the API shows them. */
export function userJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    agency: user.agency,
    roles: user.roles,
  }
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
