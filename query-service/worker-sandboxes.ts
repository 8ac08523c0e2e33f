import type { DuckDBInstance } from '@duckdb/node-api'
import type { WorkerJob } from './worker-protocol.js'

// The sandboxes a query worker keeps between one caller's jobs. Runs inside the worker process:
// imports nothing of the rest of the product.

/**
 * A DuckDB instance for one job, or kept for one caller: locked to the files it may read, with
 * the views made in it so far (each over the file its key names for it).
 */
export interface Sandbox {
  instance: DuckDBInstance
  /** Whose, over which files (sandboxKeyOf); undefined for a one-off sandbox, closed after its job. */
  key: string | undefined
  /** Locked to its files already: its views are made as jobs need them. */
  locked: boolean
  views: Set<string>
}

/**
 * The key a job's sandbox is kept under: its caller and every view they hold with the file it
 * reads. Undefined when the job's sandbox may not be kept: a file answer (its sandbox may write
 * only to that job's directory), anything over an aggregate-only view (read only through the
 * checked table), or a job reading a view the spec does not name over the same file.
 */
export function sandboxKeyOf(job: WorkerJob): string | undefined {
  const { sandbox } = job
  if (!sandbox || job.format !== 'json' || job.disclosure) return undefined
  if (sandbox.views.some((v) => v.aggregate) || job.views.some((v) => v.aggregate)) return undefined
  const files = new Map(sandbox.views.map((v) => [v.name, v.file]))
  if (files.size !== sandbox.views.length) return undefined
  if (job.views.some((v) => files.get(v.name) !== v.file)) return undefined
  return JSON.stringify([sandbox.caller, [...files].sort(([a], [b]) => (a < b ? -1 : 1))])
}

/**
 * Sandboxes kept for their callers' next jobs, at most `max`, the least recently used closed
 * first. A job takes its caller's sandbox out while it runs, and it is kept again only if the job
 * ended well: one that failed, timed out or was stopped is closed, whatever it was left holding.
 */
export function createSandboxCache(max: number) {
  // In the order they were last used: the first is the next to go.
  const kept = new Map<string, Sandbox>()
  return {
    /** The caller's sandbox over these files, out of the cache for one job; or undefined. */
    take(key: string): Sandbox | undefined {
      const sandbox = kept.get(key)
      kept.delete(key)
      return sandbox
    },
    /** Keeps a sandbox after a job that ended well, or closes it when it may not be kept. */
    keep(sandbox: Sandbox): void {
      const { key } = sandbox
      if (key === undefined || max <= 0) {
        sandbox.instance.closeSync()
        return
      }
      const older = kept.get(key)
      if (older && older !== sandbox) older.instance.closeSync()
      kept.delete(key)
      kept.set(key, sandbox)
      for (const [oldest, evicted] of kept) {
        if (kept.size <= max) break
        kept.delete(oldest)
        evicted.instance.closeSync()
      }
    },
    /** Closes the least recently used while `tooLarge` says so; answers how many it closed. */
    shrink(tooLarge: () => boolean): number {
      let closed = 0
      for (const [key, sandbox] of kept) {
        if (!tooLarge()) break
        kept.delete(key)
        sandbox.instance.closeSync()
        closed++
      }
      return closed
    },
    size: () => kept.size,
  }
}

export type SandboxCache = ReturnType<typeof createSandboxCache>
