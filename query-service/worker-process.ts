import { type ChildProcess, spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import {
  type FromWorker,
  JobError,
  type JobFailure,
  type ToWorker,
  type WorkerSettings,
} from './worker-protocol.js'

/** Why we killed a worker: the failure of the job it was running is told by that. */
export type KillReason = 'deadline' | 'stop' | 'retired' | 'closing'

/** One query worker process, as the pool keeps it. */
export interface WorkerProcess {
  child: ChildProcess
  ready: Promise<void>
  leased: boolean
  exited: boolean
  /** What the OS lets it allocate in all: named in the failure of a job that died of it. */
  memoryCapBytes: number
  killedFor?: KillReason
  /** The handler of the message now awaited, and of the process ending meanwhile. */
  awaiting?: { message(m: FromWorker): void; exit(failure: JobFailure): void }
  stderr: string
  rssBytes: number
  /** Callers it ran jobs for lately, the latest last: it may keep their sandboxes. */
  callers: string[]
}

/**
 * Starts a worker process with an environment holding no secret and no database address; its
 * `ready` settles once it says it is ready, or it ends first. Messages go to what it is `awaiting`.
 */
export function startWorker(options: {
  command: { file: string; args: string[] }
  settings: WorkerSettings
  memoryCapBytes: number
}): WorkerProcess {
  const child = spawn(options.command.file, options.command.args, {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    cwd: tmpdir(),
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      QUERY_WORKER_SETTINGS: JSON.stringify(options.settings),
    },
  })
  const worker: WorkerProcess = {
    child,
    ready: Promise.resolve(),
    leased: false,
    exited: false,
    memoryCapBytes: options.memoryCapBytes,
    stderr: '',
    rssBytes: 0,
    callers: [],
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
  return worker
}

/** Why a worker's job ended with its process: what we killed it for, or what the OS did. */
export function exitFailure(
  worker: Pick<WorkerProcess, 'killedFor' | 'memoryCapBytes'>,
  code: number | null,
  signal: string | null,
): JobFailure {
  if (worker.killedFor === 'stop' || worker.killedFor === 'closing')
    return { kind: 'cancelled', message: 'cancelled' }
  if (worker.killedFor === 'deadline') return { kind: 'limit', limit: 'time', message: '' }
  const cap = `${(worker.memoryCapBytes / 1e9).toFixed(1)} GB`
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

/** Kills a worker that has not ended yet, remembering the first reason it was killed for. */
export function killWorker(worker: WorkerProcess, why: KillReason) {
  if (worker.exited) return
  worker.killedFor ??= why
  worker.child.kill('SIGKILL')
}

/**
 * Fails what an ended worker was asked, if anything, with why it ended; answers whether it was
 * asked anything.
 */
export function failAwaited(worker: WorkerProcess, failure: JobFailure): boolean {
  const awaiting = worker.awaiting
  worker.awaiting = undefined
  awaiting?.exit(failure)
  return awaiting !== undefined
}

/** Sends a message and waits for the answer it expects, or for the worker's end. */
export function askWorker<T>(
  worker: WorkerProcess,
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
