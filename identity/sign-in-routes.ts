import { Hono } from 'hono'
import type { AuthDeps } from './auth-deps.js'
import type { RouteEnv } from './caller.js'
import { actorOf, serve } from './caller.js'
import { toUserJson } from './caller-json.js'
import { devSignInRoutes } from './dev-sign-in-routes.js'
import { oidcSignInRoutes } from './oidc-sign-in-routes.js'
import { clearSessionCookie } from './session-cookie.js'
import { getMe, getSignInMethods, signOut } from './sign-in-api.js'

/** Sign-in (OIDC and, when enabled, the development picker), the caller's identity, and sign-out. */
export function authRoutes(deps: AuthDeps) {
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
    .route('/', devSignInRoutes(deps))
    .route('/', oidcSignInRoutes(deps))
}
