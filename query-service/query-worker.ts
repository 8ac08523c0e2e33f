import type { DuckDBInstance } from '@duckdb/node-api'
import { judge, newInstance, runJob } from './worker-job.js'
import {
  boundedMessage,
  type FromWorker,
  JobError,
  type ToWorker,
  type WorkerSettings,
} from './worker-protocol.js'

// The query worker process: started by the server (query-service/query-workers.ts) under an OS
// memory and file-size cap, with an environment holding no secret. It runs one job at a time
// and keeps the next DuckDB instance ready, so a job starts at once.

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
let stop: AbortController | undefined

process.on('message', (message: ToWorker) => {
  if (message.type === 'stop') stop?.abort()
  else void handle(message)
})

async function handle(message: Exclude<ToWorker, { type: 'stop' }>): Promise<void> {
  const instance = await next
  if (message.type === 'check') {
    const connection = await instance.connect()
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
  // A job's instance is used once: nothing one caller set up survives to the next.
  next = newInstance(settings)
  stop = new AbortController()
  try {
    const result = await runJob(instance, message.job, stop.signal)
    send({ type: 'done', result, rssBytes: rss() })
  } catch (error) {
    const failure =
      error instanceof JobError
        ? error.failure
        : { kind: 'failed' as const, message: (error as Error).message }
    send({ type: 'failed', failure, rssBytes: rss() })
  } finally {
    stop = undefined
    instance.closeSync()
  }
}

await next
send({ type: 'ready' })
