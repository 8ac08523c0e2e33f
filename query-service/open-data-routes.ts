import { type Context, Hono } from 'hono'
import { NotFoundError, RateLimitedError, type RateLimiter } from '../core/index.js'
import { type RouteEnv, serve } from '../identity/index.js'
import { attachmentOf } from './download-name.js'
import { downloadOpenData, openDataFileOf } from './open-data-api.js'
import type { QueryService } from './query-service.js'

export interface OpenDataRouteDeps {
  service: Pick<QueryService, 'openData'>
  /** Each client address's downloads a minute (OPEN_DATA_DOWNLOADS_PER_MINUTE); none: no limit. */
  limiter: RateLimiter | undefined
  /** The client address (server/client-address.ts); undefined for a request made in process. */
  addressOf: (c: Context<RouteEnv>) => string | undefined
}

/**
 * Official (Open) data without a sign-in, mounted under /api/open-data: each download counted
 * against its address's minute first (429 with Retry-After past it), then served by the query
 * service as an extract is. A request made in process has no address and is not counted.
 */
export const openDataRoutes = (deps: OpenDataRouteDeps) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(downloadOpenData, async (c) => {
      const address = deps.addressOf(c)
      const { limiter } = deps
      if (limiter && limiter.perMinute > 0 && address !== undefined) {
        const decision = await limiter.hit(`open-data:${address}`)
        if (!decision.allowed)
          throw new RateLimitedError(
            `Too many downloads from your address: at most ${limiter.perMinute} a minute. Try again in ${decision.retryAfterSeconds} seconds.`,
            decision.retryAfterSeconds,
          )
      }
      const { dataset, file } = c.req.valid('param')
      const wanted = openDataFileOf(file)
      if (!wanted)
        throw new NotFoundError(
          `No open data file '${dataset}/${file}': Official (Open) datasets' published versions only`,
        )
      const extract = await deps.service.openData(
        { dataset, ...wanted },
        { address, requestId: c.get('requestId') },
      )
      return c.body(extract.body, 200, {
        'content-type': extract.contentType,
        'content-disposition': attachmentOf(extract.fileName),
        'cache-control': 'no-store',
      })
    }),
  )
