import type { MiddlewareHandler } from 'hono'
import { RateLimitedError, type RateLimiter } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'

/** Reads are never counted; everything else a person sends is. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Holds each signed-in person to their share of changes and runs (POST, PUT, PATCH, DELETE) a
 * minute, counted in the shared database so every replica sees the same count; beyond it, 429
 * with Retry-After. Scripts with API tokens are bounded by the query pool instead (lineage
 * ingestion, for one, sends hundreds of events a second by design).
 */
export function limitChanges(limiter: RateLimiter | undefined): MiddlewareHandler<RouteEnv> {
  return async function limitChanges(c, next) {
    const caller = c.get('caller')
    if (limiter && limiter.perMinute > 0 && caller?.via === 'session' && !READS.has(c.req.method)) {
      const decision = await limiter.hit(`changes:${caller.user.id}`)
      if (!decision.allowed)
        throw new RateLimitedError(
          `Too many requests: at most ${limiter.perMinute} changes or queries a minute per person. Try again in ${decision.retryAfterSeconds} seconds.`,
          decision.retryAfterSeconds,
        )
    }
    await next()
  }
}
