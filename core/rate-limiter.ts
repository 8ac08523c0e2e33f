import type { Kysely } from 'kysely'
import type { CoreTables } from './core-tables.js'

const MINUTE_MS = 60_000

/** What one more request under a key comes to. */
export interface RateDecision {
  allowed: boolean
  /** Requests under the key in this minute, this one included. */
  hits: number
  /** Seconds until the minute turns over. */
  retryAfterSeconds: number
}

/**
 * Counts requests per key in fixed one-minute windows, in the database every replica shares, so
 * a person's limit is theirs however the load balancer spreads their requests. One upsert per
 * counted request; old windows are pruned by the servers' background work.
 * @example const decision = await limiter.hit(`changes:${user.id}`)
 */
export function createRateLimiter(
  db: Kysely<CoreTables>,
  options: { perMinute: number; now?: () => Date },
) {
  const now = options.now ?? (() => new Date())
  return {
    perMinute: options.perMinute,
    async hit(key: string): Promise<RateDecision> {
      const at = now().getTime()
      const windowStart = Math.floor(at / MINUTE_MS) * MINUTE_MS
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: new Date(windowStart), hits: 1 })
        .onConflict((oc) =>
          oc.columns(['key', 'window_start']).doUpdateSet((eb) => ({
            hits: eb('rate_limits.hits', '+', 1),
          })),
        )
        .returning('hits')
        .executeTakeFirstOrThrow()
      return {
        allowed: row.hits <= options.perMinute,
        hits: row.hits,
        retryAfterSeconds: Math.max(1, Math.ceil((windowStart + MINUTE_MS - at) / 1000)),
      }
    },
    /** How a key stands in the current window, without counting a hit. */
    async count(key: string): Promise<RateDecision> {
      const at = now().getTime()
      const windowStart = Math.floor(at / MINUTE_MS) * MINUTE_MS
      const row = await db
        .selectFrom('rate_limits')
        .select('hits')
        .where('key', '=', key)
        .where('window_start', '=', new Date(windowStart))
        .executeTakeFirst()
      const hits = row?.hits ?? 0
      return {
        allowed: hits < options.perMinute,
        hits,
        retryAfterSeconds: Math.max(1, Math.ceil((windowStart + MINUTE_MS - at) / 1000)),
      }
    },
    /** Forgets windows that ended more than a minute ago; answers how many it removed. */
    async prune(): Promise<number> {
      const removed = await db
        .deleteFrom('rate_limits')
        .where('window_start', '<', new Date(now().getTime() - 2 * MINUTE_MS))
        .returning('key')
        .execute()
      return removed.length
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
