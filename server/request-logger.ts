import type { MiddlewareHandler } from 'hono'
import type { Logger } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'

/** Gives each request a child logger carrying its id, and logs how the request ended. */
export function requestLogger(root: Logger): MiddlewareHandler<RouteEnv> {
  return async function logRequest(c, next) {
    const log = root.child({ requestId: c.get('requestId') })
    c.set('log', log)
    const started = performance.now()
    await next()
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    )
  }
}
