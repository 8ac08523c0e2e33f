import type { Context } from 'hono'
import type { AuthDeps } from './auth-deps.js'
import type { RouteEnv } from './caller.js'
import { setSessionCookie } from './session-cookie.js'
import type { User } from './user.js'

/** Starts a session for a user who signed in: its cookie is set and the sign-in audited. */
export async function startSession(
  deps: AuthDeps,
  user: User,
  method: 'oidc' | 'dev',
  c: Context<RouteEnv>,
) {
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
