import type { MiddlewareHandler } from 'hono'
import { InvalidInputError } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import { MAX_LENGTH } from '../text/index.js'

/** As long as any path parameter may be (the OpenAPI document says so of each). */
export const MAX_PATH_PART = MAX_LENGTH.url

const decoded = (part: string) => {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/**
 * Refuses a request whose path has a part (a path parameter, once routed) longer than
 * {@link MAX_PATH_PART} characters, before any route reads it: ids, slugs and terms are far
 * shorter, and a lineage namespace is at most a URL.
 */
export function boundPath(): MiddlewareHandler<RouteEnv> {
  return async function boundPath(c, next) {
    if (c.req.path.split('/').some((part) => decoded(part).length > MAX_PATH_PART))
      throw new InvalidInputError(
        `path: a part of the address is longer than ${MAX_PATH_PART.toLocaleString('en')} characters`,
      )
    await next()
  }
}
