import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { InvalidInputError } from '../core/index.js'
import type { AuthDeps } from './auth-deps.js'
import { type RouteEnv, serve } from './caller.js'
import { toUserJson } from './caller-json.js'
import { devSignIn, listDevUsers } from './sign-in-api.js'
import { startSession } from './sign-in-session.js'

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

/** The development sign-in picker: who one may sign in as, and signing in as them. */
export function devSignInRoutes(deps: AuthDeps) {
  const requireDev = () => {
    if (!deps.devSignIn)
      throw new HTTPException(404, { message: 'Development sign-in is not enabled' })
  }
  return new Hono<RouteEnv>()
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
        const session = await startSession(deps, user, 'dev', c)
        return c.json(
          { ok: true as const, data: { user: toUserJson(user), csrfToken: session.csrfToken } },
          200,
        )
      }),
    )
}
