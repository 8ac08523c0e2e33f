import { type ChildProcess, spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { UnavailableError } from '../core/index.js'
import type { GateVerdict } from './sql-gate.js'
import { workerCommand } from './worker-command.js'
import {
  type FromWorker,
  JobError,
  type JobFailure,
  type JobResult,
  type ToWorker,
  timeLimitFailure,
  type WorkerJob,
  type WorkerSettings,
  withJsonLimitNote,
} from './worker-protocol.js'

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

/** A worker leased to one query: its gate, then its one job. Give it back with `release`. */
export interface WorkerLease {
  check(sql: string, views: readonly string[]): Promise<GateVerdict>
  run(job: WorkerJob): WorkerRun
  release(): void
}

/** A running job: its result (or a JobError saying why not), and how to stop it early. */
export interface WorkerRun {
  result: Promise<JobResult>
  stop(): void
}

interface Worker {
  child: ChildProcess
  ready: Promise<void>
  leased: boolean
  exited: boolean
  /** Why we killed it, if we did: the job's failure is told by that. */
  killedFor?: 'deadline' | 'stop' | 'retired' | 'closing'
  /** The handler of the message now awaited, and of the process ending meanwhile. */
  awaiting?: { message(m: FromWorker): void; exit(failure: JobFailure): void }
  stderr: string
  rssBytes: number
}

const CHECK_TIMEOUT_MS = 10_000
/**
 * The processes that run callers' SQL, away from the server: each under an OS cap on memory
 * (RLIMIT_DATA, via prlimit) and file size (RLIMIT_FSIZE), with an environment holding no secret
 * and no database address, killed when a job passes its deadline or does not stop when asked,
 * replaced when it dies, and stopped with the server (a worker also kills itself when the
 * server's IPC channel closes, so kill -9 of the server leaves none behind).
 */
export function createQueryWorkers(options: QueryWorkersOptions) {
  const workers = new Set<Worker>()
  // Leases waiting for a worker to be free or to be startable: told of every change, they look again.
  let waiting: (() => void)[] = []
  const changed = () => {
    const woken = waiting
    waiting = []
    for (const wake of woken) wake()
  }
  const grace = options.killGraceMs ?? 2_000
  const retireAbove = options.retireAboveBytes ?? options.memoryCapBytes / 4
  const command = workerCommand(options)
  let closed = false
  if (!command.capped)
    options.log?.warn(
      {},
      'prlimit was not found: query workers run without an OS memory and file-size cap',
    )

  function spawnWorker(): Worker {
    const child = spawn(command.file, command.args, {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH ?? '',
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        QUERY_WORKER_SETTINGS: JSON.stringify(options.settings),
      },
    })
    const worker: Worker = {
      child,
      ready: Promise.resolve(),
      leased: false,
      exited: false,
      stderr: '',
      rssBytes: 0,
    }
    child.stderr?.on('data', (data: Buffer) => {
      worker.stderr = (worker.stderr + data.toString()).slice(-4_000)
    })
    worker.ready = new Promise<void>((resolve, reject) => {
      child.once('message', (m: FromWorker) =>
        m.type === 'ready' ? resolve() : reject(new Error(`worker said ${m.type} first`)),
      )
      child.once('error', reject)
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `The query worker stopped as it started (${signal ?? `exit ${code}`}): ${worker.stderr.trim().slice(-500)}`,
          ),
        ),
      )
    })
    worker.ready.catch(() => undefined)
    child.on('message', (m: FromWorker) => worker.awaiting?.message(m))
    child.on('exit', (code, signal) => {
      worker.exited = true
      workers.delete(worker)
      const failure = exitFailure(worker, code, signal)
      const awaiting = worker.awaiting
      worker.awaiting = undefined
      awaiting?.exit(failure)
      if (worker.killedFor === undefined && awaiting)
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

  function exitFailure(worker: Worker, code: number | null, signal: string | null): JobFailure {
    if (worker.killedFor === 'stop' || worker.killedFor === 'closing')
      return { kind: 'cancelled', message: 'cancelled' }
    if (worker.killedFor === 'deadline') return { kind: 'limit', limit: 'time', message: '' }
    const cap = `${(options.memoryCapBytes / 1e9).toFixed(1)} GB`
    if (signal === 'SIGKILL')
      return {
        kind: 'limit',
        limit: 'memory',
        message: `The query's process was killed (SIGKILL) from outside it: by the machine running out of memory, or by an operator. Try again; if it happens again, narrow the query (it may use ${cap})`,
      }
    return {
      kind: 'limit',
      limit: 'memory',
      message: `The query's process stopped (${signal ?? `exit ${code}`}), most likely because it needed more than the ${cap} a query may use: aggregate or filter before joining or sorting, or build smaller lists and strings`,
    }
  }

  function kill(worker: Worker, why: NonNullable<Worker['killedFor']>) {
    if (worker.exited) return
    worker.killedFor ??= why
    worker.child.kill('SIGKILL')
  }

  function keepWarm() {
    if (closed) return
    const idle = [...workers].filter((w) => !w.leased).length
    for (let i = idle; i < Math.min(options.warm ?? 1, options.size - (workers.size - idle)); i++)
      spawnWorker()
  }

  /** Sends a message and waits for the answer it expects, or for the worker's end. */
  function ask<T>(
    worker: Worker,
    message: ToWorker,
    expect: (m: FromWorker) => T | undefined,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      worker.awaiting = {
        message(m) {
          const value = expect(m)
          if (value === undefined) return
          worker.awaiting = undefined
          resolve(value)
        },
        exit: (failure) => reject(new JobError(failure)),
      }
      if (worker.exited) reject(new JobError(exitFailure(worker, null, 'SIGKILL')))
      else worker.child.send(message)
    })
  }

  function leaseOf(worker: Worker): WorkerLease {
    let released = false
    return {
      async check(sql, views) {
        const timer = setTimeout(() => kill(worker, 'deadline'), CHECK_TIMEOUT_MS)
        try {
          return await ask(worker, { type: 'check', sql, views: [...views] }, (m) =>
            m.type === 'checked'
              ? m.ok
                ? { ok: true as const, views: m.views }
                : { ok: false as const, message: m.message, position: m.position }
              : undefined,
          )
        } finally {
          clearTimeout(timer)
        }
      },
      run(job) {
        // The worker interrupts DuckDB at the deadline itself; past it and a grace, it is killed.
        const deadline = setTimeout(() => kill(worker, 'deadline'), job.timeoutMs + grace)
        let stopTimer: NodeJS.Timeout | undefined
        const result = ask(worker, { type: 'run', job }, (m) => {
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
            if (
              error instanceof JobError &&
              error.failure.kind === 'limit' &&
              error.failure.limit === 'time' &&
              !error.failure.message
            )
              throw new JobError(timeLimitFailure(job.timeoutMs))
            if (error instanceof JobError) throw new JobError(withJsonLimitNote(error.failure, job))
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
            stopTimer = setTimeout(() => kill(worker, 'stop'), grace)
          },
        }
      },
      release() {
        if (released) return
        released = true
        worker.awaiting = undefined
        // A worker that grew (fragmented memory, caches) is replaced rather than trusted again:
        // it stays out of the idle ones until it has gone, and its end makes room for another.
        if (worker.exited || worker.rssBytes > retireAbove) kill(worker, 'retired')
        else worker.leased = false
        changed()
      },
    }
  }

  async function take(): Promise<Worker> {
    for (;;) {
      if (closed) throw new Error('The query workers are stopping')
      const worker =
        [...workers].find((w) => !w.leased && !w.exited) ??
        (workers.size < options.size ? spawnWorker() : undefined)
      if (worker) {
        worker.leased = true
        return worker
      }
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }

  return {
    /**
     * A worker of one's own until released; starts one if none is idle and there is room. The
     * query pool bounds how many are asked for at once, so one is normally free.
     */
    async lease(): Promise<WorkerLease> {
      const worker = await take()
      try {
        await worker.ready
      } catch (error) {
        worker.leased = false
        kill(worker, 'retired')
        options.log?.warn({ err: error }, 'a query worker failed to start')
        throw new UnavailableError(
          'Queries cannot run just now: a query worker process failed to start. Try again shortly; if it persists, tell the platform team',
          { cause: error, retryAfterSeconds: 5 },
        )
      }
      return leaseOf(worker)
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
      for (const worker of workers) kill(worker, 'closing')
      await Promise.all(ending)
    },
  }
}

export type QueryWorkers = ReturnType<typeof createQueryWorkers>
