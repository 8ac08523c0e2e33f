import type { Logger } from '../core/index.js'

/**
 * What the server does with a promise that failed with nobody listening: a bug, after which the
 * process's state is unknown. It ends, as Node would, but first says so in the log as every other
 * failure is said (JSON, redacted, with the error's stack), so that whoever reads the logs after
 * the supervisor's restart finds why; Node alone prints only to stderr.
 */
export function endOnUnhandledRejection(log: Logger, exit: (code: number) => void) {
  return (reason: unknown) => {
    log.fatal(
      { err: reason },
      'unhandled rejection: a promise failed with nobody listening; ending the process',
    )
    exit(1)
  }
}
