import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { TooLargeError } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import { LINEAGE_INGEST_LIMITS } from '../lineage/index.js'

/** A route that reads more than the API's own limit, and what to tell a sender past its limit. */
interface LargerBody {
  method: string
  path: string
  bytes: number
  advice: string
}

/**
 * The only routes that read more than API_BODY_LIMIT_BYTES (1 MB by default): OpenLineage
 * ingest, whose producers send whole events and batches (the lineage module states its limits).
 */
const LARGER_BODIES: readonly LargerBody[] = [
  {
    method: 'POST',
    path: '/api/v1/lineage',
    bytes: LINEAGE_INGEST_LIMITS.eventBytes,
    advice: 'send a smaller event (fewer facets)',
  },
  {
    method: 'POST',
    path: '/api/v1/lineage/batch',
    bytes: LINEAGE_INGEST_LIMITS.batchBytes,
    advice: 'send fewer events per batch',
  },
]

const DEFAULT_ADVICE = 'send less in one request, e.g. split it into several'

/**
 * The largest body a request may send, in bytes, and what to do when it sends more; a caller not
 * signed in (yet) gets the API's own limit everywhere.
 */
export type BodyLimitOf = (
  method: string,
  path: string,
  signedIn: boolean,
) => { bytes: number; advice: string }

/**
 * Each route's body limit: `bytes` (API_BODY_LIMIT_BYTES), or more for the routes above when the
 * caller is signed in: nobody anonymous makes the server read more than the API's limit.
 */
export function bodyLimitsOf(bytes: number): BodyLimitOf {
  const larger = new Map(LARGER_BODIES.map((l) => [`${l.method} ${l.path}`, l]))
  return (method, path, signedIn) => {
    const route = signedIn ? larger.get(`${method} ${path}`) : undefined
    return route && route.bytes > bytes
      ? { bytes: route.bytes, advice: route.advice }
      : { bytes, advice: DEFAULT_ADVICE }
  }
}

/** The refusal of a body past `limit`, saying the limit and what to do. */
export function tooLargeError(limit: { bytes: number; advice: string }): TooLargeError {
  const shown =
    limit.bytes >= 1_000_000
      ? `${(limit.bytes / 1_000_000).toLocaleString('en')} MB`
      : `${limit.bytes.toLocaleString('en')} bytes`
  return new TooLargeError(
    `The request body is larger than the ${shown} this route reads: ${limit.advice}`,
  )
}

/**
 * Refuses a body past its route's (and caller's) limit with 413 before any route code runs: at once when its
 * Content-Length says so (nothing of it read), else as soon as the bytes counted pass the limit
 * (a chunked body is never held beyond it). The answer closes the connection, so Node does not
 * go on reading the rest of a huge body to find the next request on it.
 */
export function limitBodies(limitOf: BodyLimitOf): MiddlewareHandler<RouteEnv> {
  const limiters = new Map<number, MiddlewareHandler>()
  const limiterOf = (limit: { bytes: number; advice: string }) => {
    let limiter = limiters.get(limit.bytes)
    if (!limiter) {
      limiter = bodyLimit({
        maxSize: limit.bytes,
        onError: (c) => {
          c.header('connection', 'close')
          throw tooLargeError(limitOf(c.req.method, c.req.path, c.get('caller') !== undefined))
        },
      })
      limiters.set(limit.bytes, limiter)
    }
    return limiter
  }
  return async function limitBodies(c, next) {
    await limiterOf(limitOf(c.req.method, c.req.path, c.get('caller') !== undefined))(c, next)
  }
}
