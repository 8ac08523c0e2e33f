import type { DuckDBInstance } from '@duckdb/node-api'
import { judge, newInstance, runJob } from './worker-job.js'
import {
  boundedMessage,
  type FromWorker,
  JobError,
  type ToWorker,
  type WorkerJob,
  type WorkerSettings,
} from './worker-protocol.js'
import { createSandboxCache, type Sandbox, sandboxKeyOf } from './worker-sandboxes.js'

// The query worker process: started by the server (query-service/query-workers.ts) under an OS
// memory and file-size cap, with an environment holding no secret. It runs one job at a time,
// keeps the next DuckDB instance ready, so a job starts at once, and keeps the sandboxes of JSON
// jobs that ended well for their callers' next jobs over the same files (worker-sandboxes.ts).

const settings = JSON.parse(process.env.QUERY_WORKER_SETTINGS ?? '{}') as WorkerSettings
const send = (message: FromWorker) => process.send?.(bounded(message))
/** Failures carry their messages cut short: DuckDB's errors can quote any amount of data. */
const bounded = (message: FromWorker): FromWorker =>
  message.type === 'failed'
    ? {
        ...message,
        failure: { ...message.failure, message: boundedMessage(message.failure.message) },
      }
    : message.type === 'checked' && !message.ok
      ? { ...message, message: boundedMessage(message.message) }
      : message
const rss = () => process.memoryUsage.rss()

// Our parent gone (killed, crashed) means nobody can use what we make: stop at once, even if
// DuckDB is busy in a call that cannot be interrupted.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'))
// Past the OS file-size cap a write fails with EFBIG (reported as the answer's byte limit)
// instead of the default of killing the process.
process.on('SIGXFSZ', () => {})

let next: Promise<DuckDBInstance> = newInstance(settings)
// The gate's parse runs in an instance of its own, never waiting for the next job's to be made.
const parser = newInstance(settings)
let stop: AbortController | undefined
const kept = createSandboxCache(settings.keptSandboxes ?? 0)

process.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stop?.abort()
  else void handle(message)
})

async function handle(message: Exclude<ToWorker, { type: 'stop' }>): Promise<void> {
  if (message.type === 'check') {
    const connection = await (await parser).connect()
    try {
      const verdict = await judge(connection, message.sql, new Set(message.views))
      send({ type: 'checked', ...verdict })
    } catch (error) {
      send({ type: 'checked', ok: false, message: (error as Error).message })
    } finally {
      connection.closeSync()
    }
    return
  }
  const sandbox = await sandboxFor(message.job)
  const reused = sandbox.locked
  stop = new AbortController()
  let ok = false
  try {
    const result = await runJob(sandbox, message.job, stop.signal)
    ok = true
    send({ type: 'done', result: reused ? { ...result, reused } : result, rssBytes: rss() })
  } catch (error) {
    const failure =
      error instanceof JobError
        ? error.failure
        : { kind: 'failed' as const, message: (error as Error).message }
    send({ type: 'failed', failure, rssBytes: rss() })
  } finally {
    stop = undefined
    // Only a sandbox whose job ended well is kept for its caller: nothing else survives a job.
    if (ok) kept.keep(sandbox)
    else sandbox.instance.closeSync()
    const budget = settings.keptSandboxBytes
    if (budget !== undefined) kept.shrink(() => rss() > budget)
  }
}

/**
 * The caller's kept sandbox over these files, or a fresh instance (made ahead, so a job starts
 * at once) that is used for this job alone unless it may be kept for the caller.
 */
async function sandboxFor(job: WorkerJob): Promise<Sandbox> {
  const key = sandboxKeyOf(job)
  const found = key === undefined ? undefined : kept.take(key)
  if (found) return found
  const instance = await next
  next = newInstance(settings)
  return { instance, key, locked: false, views: new Set() }
}

await Promise.all([next, parser])
send({ type: 'ready' })
