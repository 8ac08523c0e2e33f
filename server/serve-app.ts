import { type ServerType, serve } from '@hono/node-server'
import { remindExpiringGrants } from '../access/index.js'
import { AppError } from '../core/index.js'
import { deliverDue } from '../notifications/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { createApp } from './app.js'
import { recoverInterrupted } from './recover-interrupted.js'
import { appDepsOf, type Runtime } from './runtime.js'

const PROJECTION_SWEEP_MS = 15_000

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Serves the API and portal on the configured host and port. */
export async function serveApp(
  runtime: Runtime,
  port = runtime.config.PORT,
): Promise<RunningServer> {
  const app = createApp(appDepsOf(runtime))
  const host = runtime.config.HOST
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port, hostname: host })
    started.once('listening', () => resolve(started))
    started.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `Port ${port} on ${host} is already in use: stop the other process or set PORT`
          : `Cannot listen on ${host}:${port}: ${error.message}`
      reject(new AppError('invalid_config', reason, { cause: error }))
    })
  })
  runtime.query.warm()
  const stopWork = startBackgroundWork(runtime)
  const address = server.address()
  const actualPort = typeof address === 'object' && address ? address.port : port
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
  return {
    url: `http://${shownHost}:${actualPort}`,
    close: async () => {
      await stopWork()
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
    },
  }
}

/**
 * What runs beside the requests: webhook deliveries from the outbox every few seconds, the audit
 * trail's checkpoints, the expiring-grant reminders every minute, marking the work of processes that died as failed, and
 * removing the projection files of grants that ended.
 * All are safe to run in every replica at once (the outbox is claimed row by row, reminders are
 * sent once, only rows still running are marked). Returns a stop function.
 */
function startBackgroundWork(runtime: Runtime): () => Promise<void> {
  const running = new Set<Promise<unknown>>()
  // A tick that finds the previous run of the same work unfinished skips: runs never pile up.
  const every = (ms: number, name: string, work: () => Promise<unknown>) => {
    let busy = false
    const timer = setInterval(() => {
      if (busy) return
      busy = true
      const run = work()
        .catch((error: unknown) => runtime.log.error({ err: error }, `${name} failed; will retry`))
        .finally(() => {
          busy = false
          running.delete(run)
        })
      running.add(run)
    }, ms)
    timer.unref()
    return timer
  }
  const timers = [
    every(5_000, 'webhook delivery', () =>
      deliverDue(runtime.db, {
        now: () => new Date(),
        allowPrivate: runtime.config.WEBHOOK_ALLOW_PRIVATE,
        log: runtime.log,
      }),
    ),
    // The audit trail's head, anchored outside the database while it changes.
    every(runtime.config.AUDIT_CHECKPOINT_SECONDS * 1000, 'anchoring the audit trail', () =>
      runtime.audit.checkpoint(),
    ),
    every(60_000, 'pruning rate-limit windows', () => runtime.changeLimiter.prune()),
    every(60_000, 'grant reminders', () =>
      remindExpiringGrants(runtime.db, createWorkingDayCalendar(), new Date()),
    ),
    every((runtime.config.PROCESS_TIMEOUT_SECONDS * 1000) / 2, 'recovering interrupted work', () =>
      recoverInterrupted(runtime),
    ),
    // A grant that ended (revoked or expired) keeps no projection file for long.
    every(PROJECTION_SWEEP_MS, "removing ended grants' projections", () =>
      runtime.query.sweepProjections(),
    ),
  ]
  return async () => {
    for (const timer of timers) clearInterval(timer)
    await Promise.all(running)
  }
}
