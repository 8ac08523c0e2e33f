import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AuthDeps } from './auth-deps.js'
import { type RouteEnv, serve } from './caller.js'
import type { OidcClaims } from './oidc.js'
import { setStateCookie, takeStateCookie } from './session-cookie.js'
import { finishOidcSignIn, startOidcSignIn } from './sign-in-api.js'
import { startSession } from './sign-in-session.js'
import { isRole, type User } from './user.js'
import type { UserProfile } from './user-store.js'

/** OpenID Connect sign-in: the redirect to the identity provider, and its redirect back. */
export function oidcSignInRoutes(deps: AuthDeps) {
  return new Hono<RouteEnv>()
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
        await startSession(deps, user, 'oidc', c)
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
