import type { Context, MiddlewareHandler } from 'hono'
import { RateLimitedError, type RateLimiter } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'

/** The steps of signing in that anyone may call, each counted on its own. */
const SIGN_IN_STEPS: Record<string, string> = {
  'POST /api/auth/dev/sign-in': 'dev',
  'GET /api/auth/oidc/start': 'oidc-start',
  'GET /api/auth/oidc/callback': 'oidc-return',
}

/**
 * Holds each client address to SIGN_IN_ATTEMPTS_PER_MINUTE attempts at each sign-in step,
 * counted in the shared database (the same limiter as a person's changes) so every replica sees
 * one count; beyond it, 429 with Retry-After. Every step writes (a session, a sign-in flow, an
 * audit entry), so without it anyone could fill the database. A request made in process has no
 * address and is not counted.
 */
export function limitSignIns(
  limiter: RateLimiter | undefined,
  addressOf: (c: Context<RouteEnv>) => string | undefined,
): MiddlewareHandler<RouteEnv> {
  return async function limitSignIns(c, next) {
    // HEAD is answered by the GET route: it is the same attempt.
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method
    const step = SIGN_IN_STEPS[`${method} ${c.req.path}`]
    const address = step && limiter && limiter.perMinute > 0 ? addressOf(c) : undefined
    if (limiter && address !== undefined) {
      const decision = await limiter.hit(`sign-in:${step}:${address}`)
      if (!decision.allowed)
        throw new RateLimitedError(
          `Too many sign-in attempts from your address: at most ${limiter.perMinute} a minute. Try again in ${decision.retryAfterSeconds} seconds.`,
          decision.retryAfterSeconds,
        )
    }
    await next()
  }
}

/**
 * Holds each client address to SIGN_IN_ATTEMPTS_PER_MINUTE refused Bearer tokens a minute: a
 * token that does not check out is refused (401) and audited, so without a bound anyone could
 * guess tokens and fill the audit trail. Past the bound, 429 before the token is even looked at.
 */
export function limitFailedTokens(
  limiter: RateLimiter | undefined,
  addressOf: (c: Context<RouteEnv>) => string | undefined,
): MiddlewareHandler<RouteEnv> {
  return async function limitFailedTokens(c, next) {
    const counted = limiter && limiter.perMinute > 0 && c.req.header('authorization') !== undefined
    const address = counted ? addressOf(c) : undefined
    if (!limiter || address === undefined) return next()
    const key = `bad-token:${address}`
    const standing = await limiter.count(key)
    if (!standing.allowed)
      throw new RateLimitedError(
        `Too many refused tokens from your address: at most ${limiter.perMinute} a minute. Try again in ${standing.retryAfterSeconds} seconds.`,
        standing.retryAfterSeconds,
      )
    await next()
    if (c.res.status === 401) await limiter.hit(key)
  }
}
