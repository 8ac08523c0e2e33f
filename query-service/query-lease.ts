import type { QueryPool } from './query-pool.js'
import type { QueryWorkers } from './query-workers.js'
import type { RunningQueries } from './running-queries.js'
import type { WorkerLease, WorkerRun } from './worker-lease.js'
import type { WorkerJob } from './worker-protocol.js'

/**
 * What one query holds while it runs: a slot of the pool, a worker (whose fresh DuckDB is its
 * sandbox) and, once its job starts, its place among the running queries, where a cancel finds it.
 */
export interface QueryLease {
  /** The gate's verdict on the SQL, in the leased worker. */
  check: WorkerLease['check']
  /** Starts the query's one job, tracked as running so that a cancel stops it. */
  run(job: WorkerJob): WorkerRun
  /**
   * Untracks the job, gives the worker back, then frees the slot, in that order; once the answer
   * is written it holds none of them. Calling it again does nothing.
   */
  release(): void
}

/**
 * Waits for the person's turn in the pool, then leases a worker. A worker that cannot be had
 * frees the slot again before the error is thrown, so a failed acquisition holds nothing.
 */
export async function acquireQueryLease(
  query: { id: string; userId: string },
  deps: {
    pool: Pick<QueryPool, 'acquire'>
    workers: Pick<QueryWorkers, 'lease'>
    running: Pick<RunningQueries, 'track' | 'untrack'>
  },
): Promise<QueryLease> {
  const freeSlot = await deps.pool.acquire(query.userId)
  let worker: WorkerLease
  try {
    worker = await deps.workers.lease(query.userId)
  } catch (error) {
    freeSlot()
    throw error
  }
  let tracked = false
  let released = false
  return {
    check: (sql, views) => worker.check(sql, views),
    run(job) {
      const started = worker.run(job)
      deps.running.track(query.id, query.userId, () => started.stop())
      tracked = true
      return started
    },
    release() {
      if (released) return
      released = true
      if (tracked) deps.running.untrack(query.id, query.userId)
      worker.release()
      freeSlot()
    },
  }
}
