import type { GateVerdict } from './sql-gate.js'
import { askWorker, killWorker, type WorkerProcess } from './worker-process.js'
import {
  explainFailure,
  JobError,
  type JobResult,
  type ToWorker,
  type WorkerJob,
} from './worker-protocol.js'

/** A worker leased to one query: its gate, then its one job. Give it back with `release`. */
export interface WorkerLease {
  /** The leased worker's process id (for logs and tests); none once it failed to start. */
  readonly pid: number | undefined
  check(sql: string, views: readonly string[]): Promise<GateVerdict>
  run(job: WorkerJob): WorkerRun
  release(): void
}

/** A running job: its result (or a JobError saying why not), and how to stop it early. */
export interface WorkerRun {
  result: Promise<JobResult>
  stop(): void
}

const CHECK_TIMEOUT_MS = 10_000

/**
 * A leased worker's face. A worker past a deadline (the gate's, or its job's and a grace) or not
 * stopping within the grace when asked is killed; given back, one that grew is killed rather
 * than trusted again. `onRelease` is told when it is given back (once).
 */
export function leaseWorker(
  worker: WorkerProcess,
  options: { graceMs: number; retireAboveBytes: number; onRelease: () => void },
): WorkerLease {
  let released = false
  return {
    pid: worker.child.pid,
    async check(sql, views) {
      const timer = setTimeout(() => killWorker(worker, 'deadline'), CHECK_TIMEOUT_MS)
      try {
        return await askWorker(worker, { type: 'check', sql, views: [...views] }, (m) =>
          m.type === 'checked'
            ? m.ok
              ? { ok: true as const, views: m.views }
              : {
                  ok: false as const,
                  message: m.message,
                  position: m.position,
                  unknownView: m.unknownView,
                }
            : undefined,
        )
      } finally {
        clearTimeout(timer)
      }
    },
    run: (job) => startJob(worker, job, options.graceMs),
    release() {
      if (released) return
      released = true
      worker.awaiting = undefined
      // A worker that grew (fragmented memory, caches) is replaced rather than trusted again:
      // it stays out of the idle ones until it has gone, and its end makes room for another.
      if (worker.exited || worker.rssBytes > options.retireAboveBytes) killWorker(worker, 'retired')
      else worker.leased = false
      options.onRelease()
    },
  }
}

/** Sends a worker its job; the result carries the failure as the caller is told it. */
function startJob(worker: WorkerProcess, job: WorkerJob, graceMs: number): WorkerRun {
  // The worker interrupts DuckDB at the deadline itself; past it and a grace, it is killed.
  const deadline = setTimeout(() => killWorker(worker, 'deadline'), job.timeoutMs + graceMs)
  let stopTimer: NodeJS.Timeout | undefined
  const result = askWorker(worker, { type: 'run', job }, (m) => {
    if (m.type === 'done' || m.type === 'failed') worker.rssBytes = m.rssBytes
    if (m.type === 'done') return { ok: true as const, result: m.result }
    if (m.type === 'failed') return { ok: false as const, failure: m.failure }
    return undefined
  })
    .then((outcome) => {
      if (!outcome.ok) throw new JobError(outcome.failure)
      return outcome.result
    })
    .catch((error: unknown) => {
      if (error instanceof JobError) throw new JobError(explainFailure(error.failure, job))
      throw error
    })
    .finally(() => {
      clearTimeout(deadline)
      clearTimeout(stopTimer)
    })
  return {
    result,
    stop() {
      if (worker.exited || stopTimer) return
      worker.child.send({ type: 'stop' } satisfies ToWorker)
      stopTimer = setTimeout(() => killWorker(worker, 'stop'), graceMs)
    },
  }
}
