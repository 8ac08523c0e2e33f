import type { MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { secretsEqual } from '../keys/index.js'
import { defineAbilityFor } from './ability.js'
import type { AuthDeps } from './auth-deps.js'
import type { Caller, RouteEnv } from './caller.js'
import { readSessionCookie } from './session-cookie.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * Works out who is calling: a Bearer token (ours, or the identity provider's JWT when enabled),
 * else the session cookie. A Bearer token that does not check out is refused outright rather
 * than treated as anonymous. Every request gets the caller's ability.
 */
export function authenticate(deps: AuthDeps): MiddlewareHandler<RouteEnv> {
  return async function identifyCaller(c, next) {
    const caller = await resolveCaller(
      c.req.header('authorization'),
      readSessionCookie(c),
      deps,
      c.get('requestId'),
    )
    c.set('caller', caller)
    c.set('ability', defineAbilityFor(caller?.user))
    await next()
  }
}

async function resolveCaller(
  authorization: string | undefined,
  sessionToken: string | undefined,
  deps: AuthDeps,
  requestId: string,
): Promise<Caller | undefined> {
  const now = deps.now()
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>"')
    const token = match[1]
    if (deps.oidc && JWT.test(token)) {
      const claims = await deps.oidc.verifyAccessToken(token).catch(() => {
        throw unauthorized('The bearer token is invalid or expired')
      })
      const user = await deps.users.findOidcUser(deps.oidc.issuer, claims.sub)
      if (!user)
        throw unauthorized(
          'No portal user is linked to this identity: sign in through the portal once',
        )
      return { via: 'oidc-token', user }
    }
    const found = await deps.tokens.redeemToken(token, now)
    if (!found) throw unauthorized('The bearer token is invalid, expired or revoked')
    await deps.audit.append(
      {
        actor: { id: found.user.id, name: found.user.username },
        action: 'token.use',
        outcome: 'succeeded',
        subject: { type: 'ApiToken', id: found.apiToken.id },
        requestId,
      },
      now,
    )
    return {
      via: 'api-token',
      user: found.user,
      tokenId: found.apiToken.id,
      scopes: found.apiToken.scopes,
    }
  }
  if (sessionToken) {
    const found = await deps.sessions.findSession(sessionToken, now)
    if (found) return { via: 'session', user: found.user, session: found.session, sessionToken }
  }
  return undefined
}

/** Refuses anonymous callers: everything after it needs a signed-in user or a token. */
export const requireSignIn: MiddlewareHandler<RouteEnv> = async function requireSignIn(c, next) {
  if (!c.get('caller'))
    throw unauthorized('Sign in first, or send an API token as "Authorization: Bearer <token>"')
  await next()
}

/**
 * State-changing requests made with a session cookie must echo the session's CSRF token in the
 * X-CSRF-Token header; read-only API tokens may not change anything.
 */
export const csrfProtection: MiddlewareHandler<RouteEnv> = async function csrfProtection(c, next) {
  const caller = c.get('caller')
  if (!SAFE_METHODS.has(c.req.method)) {
    if (
      caller?.via === 'session' &&
      !secretsEqual(c.req.header('x-csrf-token') ?? '', caller.session.csrfToken)
    ) {
      throw new HTTPException(403, {
        message: 'Missing or wrong X-CSRF-Token header: send the token from GET /api/auth/me',
      })
    }
    if (caller?.via === 'api-token' && !caller.scopes.includes('write')) {
      throw new HTTPException(403, {
        message: 'This API token is read-only: create one with the write scope',
      })
    }
  }
  await next()
}

function unauthorized(message: string) {
  return new HTTPException(401, { message })
}
