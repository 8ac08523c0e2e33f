import { UnavailableError } from '../core/index.js'
import { workerCommand } from './worker-command.js'
import { leaseWorker, type WorkerLease } from './worker-lease.js'
import {
  exitFailure,
  failAwaited,
  killWorker,
  startWorker,
  type WorkerProcess,
} from './worker-process.js'
import type { WorkerSettings } from './worker-protocol.js'

export interface QueryWorkersOptions {
  /** Worker processes at most (one job each at a time). */
  size: number
  settings: WorkerSettings
  /** What the OS lets a worker allocate in all (RLIMIT_DATA), DuckDB and Node together. */
  memoryCapBytes: number
  /** The largest file a worker may write (RLIMIT_FSIZE): every answer file it makes. */
  fileCapBytes: number
  /** Workers kept started while idle, so that a query never waits for one to start. */
  warm?: number
  /** How long a worker asked to stop, or past its deadline, has before it is killed. */
  killGraceMs?: number
  /**
   * A worker resident above this after a job is replaced (default: a quarter of its cap): memory
   * freed by a large job is not all given back to the OS, and what the OS still counts would be
   * missing from the next job's cap.
   */
  retireAboveBytes?: number
  log?: { warn(details: object, message: string): void }
}

/**
 * The processes that run callers' SQL, away from the server: each under an OS cap on memory
 * (RLIMIT_DATA, via prlimit) and file size (RLIMIT_FSIZE), with an environment holding no secret
 * and no database address, killed when a job passes its deadline or does not stop when asked,
 * replaced when it dies, and stopped with the server (a worker also kills itself when the
 * server's IPC channel closes, so kill -9 of the server leaves none behind).
 */
export function createQueryWorkers(options: QueryWorkersOptions) {
  const workers = new Set<WorkerProcess>()
  // Leases waiting for a worker to be free or to be startable: told of every change, they look again.
  let waiting: (() => void)[] = []
  const changed = () => {
    const woken = waiting
    waiting = []
    for (const wake of woken) wake()
  }
  const grace = options.killGraceMs ?? 2_000
  const retireAbove = options.retireAboveBytes ?? options.memoryCapBytes / 4
  // Kept sandboxes give way well before a worker grows enough to be replaced (and lose them all).
  const settings = { keptSandboxBytes: retireAbove / 2, ...options.settings }
  const command = workerCommand(options)
  const kept = options.settings.keptSandboxes ?? 0
  let closed = false
  if (!command.capped)
    options.log?.warn(
      {},
      'prlimit was not found: query workers run without an OS memory and file-size cap',
    )

  function spawnWorker(): WorkerProcess {
    const worker = startWorker({
      command,
      settings,
      memoryCapBytes: options.memoryCapBytes,
    })
    worker.child.on('exit', (code, signal) => {
      worker.exited = true
      workers.delete(worker)
      const awaited = failAwaited(worker, exitFailure(worker, code, signal))
      if (worker.killedFor === undefined && awaited)
        options.log?.warn(
          { code, signal, stderr: worker.stderr.slice(-1_000) },
          'query worker died during a job',
        )
      keepWarm()
      changed()
    })
    workers.add(worker)
    return worker
  }

  function keepWarm() {
    if (closed) return
    const idle = [...workers].filter((w) => !w.leased).length
    for (let i = idle; i < Math.min(options.warm ?? 1, options.size - (workers.size - idle)); i++)
      spawnWorker()
  }

  async function take(caller: string | undefined): Promise<WorkerProcess> {
    for (;;) {
      if (closed) throw new Error('The query workers are stopping')
      const worker = idleFor(caller) ?? (workers.size < options.size ? spawnWorker() : undefined)
      if (worker) {
        worker.leased = true
        if (caller !== undefined) remember(worker, caller)
        return worker
      }
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }

  /**
   * An idle worker: one that ran the caller's jobs lately (it may keep their sandbox), else the
   * one that remembers fewest callers, so that callers' sandboxes spread over the workers.
   */
  function idleFor(caller: string | undefined): WorkerProcess | undefined {
    const idle = [...workers].filter((w) => !w.leased && !w.exited)
    const own = caller === undefined ? undefined : idle.find((w) => w.callers.includes(caller))
    return own ?? idle.sort((a, b) => a.callers.length - b.callers.length)[0]
  }

  function remember(worker: WorkerProcess, caller: string) {
    if (kept <= 0) return
    worker.callers = [...worker.callers.filter((c) => c !== caller), caller].slice(-kept)
  }

  return {
    /**
     * A worker of one's own until released, the one that ran the caller's jobs lately if it is
     * idle; starts one if none is idle and there is room. The query pool bounds how many are
     * asked for at once, so one is normally free.
     */
    async lease(caller?: string): Promise<WorkerLease> {
      const worker = await take(caller)
      try {
        await worker.ready
      } catch (error) {
        worker.leased = false
        killWorker(worker, 'retired')
        options.log?.warn({ err: error }, 'a query worker failed to start')
        throw new UnavailableError(
          'Queries cannot run just now: a query worker process failed to start. Try again shortly; if it persists, tell the platform team',
          { cause: error, retryAfterSeconds: 5 },
        )
      }
      return leaseWorker(worker, {
        graceMs: grace,
        retireAboveBytes: retireAbove,
        onRelease: changed,
      })
    },
    /** Starts the warm workers (in the background). */
    warm: keepWarm,
    stats: () => ({ workers: workers.size, busy: [...workers].filter((w) => w.leased).length }),
    /** The process ids of the workers, for tests and the process list. */
    pids: () => [...workers].flatMap((w) => (w.child.pid ? [w.child.pid] : [])),
    /** Kills every worker; a job still running ends as cancelled. */
    async close(): Promise<void> {
      closed = true
      const ending = [...workers].map(
        (w) =>
          new Promise((resolve) => (w.exited ? resolve(undefined) : w.child.once('exit', resolve))),
      )
      for (const worker of workers) killWorker(worker, 'closing')
      await Promise.all(ending)
    },
  }
}

export type QueryWorkers = ReturnType<typeof createQueryWorkers>
