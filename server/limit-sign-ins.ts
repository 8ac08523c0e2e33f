import type { Context, MiddlewareHandler } from 'hono'
import { RateLimitedError, type RateLimiter } from '../core/index.js'
import type { AppEnv } from './app-env.js'

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
  addressOf: (c: Context<AppEnv>) => string | undefined,
): MiddlewareHandler<AppEnv> {
  return async function limitSignIns(c, next) {
    const step = SIGN_IN_STEPS[`${c.req.method} ${c.req.path}`]
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
