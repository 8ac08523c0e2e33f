import type { Logger } from '../core/index.js'

/** What every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    requestId: string
    log: Logger
  }
}
