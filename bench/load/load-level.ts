import { setMaxListeners } from 'node:events'
import type { Replica } from '../../testing/index.js'
import {
  type LoadCall,
  type LoadCatalogue,
  type LoadPerson,
  pickStep,
  runStep,
} from './load-mix.js'
import type { CallOutcome } from './load-outcome.js'
import { machineCpu, sampleProcessTree } from './load-process-stats.js'

/** One level of load: how many virtual users, for how long, against what. */
export interface LevelOptions {
  users: number
  seconds: number
  /** Mean pause between a user's steps; each pause is drawn from 0.5× to 1.5× of it. */
  thinkMs: number
  /** A call still unanswered after this long is abandoned and counted as an error. */
  timeoutMs: number
  replicas: readonly Replica[]
  /** One person per virtual user (at least `users` of them). */
  people: readonly LoadPerson[]
  catalogue: LoadCatalogue
  /** PostgreSQL's postmaster, when the bench started it (its memory and CPU are read too). */
  postgresPid?: number
  /** What the database's connections are doing now; sampled every second when given. */
  sampleDatabase?: () => Promise<DatabaseSample>
  /**
   * Keeps the level going past its seconds until this holds of the calls so far: a test's way to
   * meet every kind of call however busy the machine (the signal still ends it).
   */
  until?: (outcomes: readonly CallOutcome[]) => boolean
  /** Aborts the level at once (Ctrl-C, the overall deadline). */
  signal: AbortSignal
  say: (line: string) => void
}

/** The database's connections at one moment (the bench's own sampling connection left out). */
export interface DatabaseSample {
  connections: number
  active: number
  /** Waiting for an advisory lock: the audit chain's, which every audited action takes. */
  waitingForAuditLock: number
}

/** Memory of one process over a level. */
export interface MemoryTrace {
  name: string
  /** [second of the level, MB]. */
  samples: [number, number][]
  peakMb: number
  endMb: number
  /** CPU cores it used on average over the level. */
  cores: number
}

/** What one level measured. */
export interface LevelResult {
  users: number
  startedAt: Date
  endedAt: Date
  seconds: number
  thinkMs: number
  outcomes: CallOutcome[]
  steps: number
  memory: MemoryTrace[]
  database: DatabaseSample[]
  /** Share of the machine's CPU time that was busy over the level (every process on it). */
  machineBusy: number
  cores: number
}

/**
 * Runs `users` closed-loop virtual users for exactly `seconds`: each takes a step of the mix,
 * waits for every answer, pauses for its think time and takes the next, until the time is up.
 * Calls go to the replicas in turn, as a round-robin load balancer would send them.
 */
export async function runLevel(options: LevelOptions): Promise<LevelResult> {
  const { users, seconds, signal, say } = options
  if (options.people.length < users) throw new Error(`${users} users need ${users} people`)
  const outcomes: CallOutcome[] = []
  const startedAt = new Date()
  const started = performance.now()
  const stopAt = started + seconds * 1000
  const now = () => performance.now() - started
  const isOver = () =>
    signal.aborted || (performance.now() >= stopAt && (options.until?.(outcomes) ?? true))
  let next = 0
  let steps = 0
  // Every call and pause listens for the abort (and stops listening when done): hundreds at once.
  setMaxListeners(0, signal)

  const callAs =
    (person: LoadPerson): LoadCall =>
    async (kind, method, path, { body, expect = 200, read = 'json' } = {}) => {
      if (isOver()) return undefined
      const replica = options.replicas[next++ % options.replicas.length]
      if (!replica) return undefined
      const startMs = now()
      // A timeout of its own, and the level's abort: one controller, its listener removed after.
      const controller = new AbortController()
      const timeout = setTimeout(
        () => controller.abort(new DOMException('timed out', 'TimeoutError')),
        options.timeoutMs,
      )
      const abort = () => controller.abort(signal.reason)
      signal.addEventListener('abort', abort, { once: true })
      const record = (status: CallOutcome['status'], message?: string) => {
        const ok = status === expect
        outcomes.push({ kind, startMs, endMs: now(), status, ok, ...(!ok && { message }) })
      }
      try {
        const res = await fetch(`${replica.url}${path}`, {
          method,
          headers: {
            ...person.headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: controller.signal,
        })
        if (read === 'bytes' && res.status === expect) {
          const bytes = await res.arrayBuffer()
          record(res.status)
          return bytes
        }
        const text = await res.text()
        const answer = parseJson(text)
        record(res.status, answer?.error?.message ?? text.slice(0, 200))
        return res.status === expect ? (answer?.data ?? answer) : undefined
      } catch (error) {
        const name = error instanceof Error ? error.name : ''
        const status = name === 'TimeoutError' ? 'timeout' : signal.aborted ? 'aborted' : 'network'
        record(status, error instanceof Error ? `${error.message} ${error.cause ?? ''}` : '')
        return undefined
      } finally {
        clearTimeout(timeout)
        signal.removeEventListener('abort', abort)
      }
    }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, Math.min(ms, stopAt - performance.now())))
      signal.addEventListener('abort', done, { once: true })
    })

  const virtualUser = async (person: LoadPerson) => {
    const call = callAs(person)
    // Users arrive spread over one think time rather than all in the same millisecond.
    await pause(person.random() * options.thinkMs)
    while (!isOver()) {
      await runStep(pickStep(person.random), person, options.catalogue, call)
      steps++
      await pause(options.thinkMs * (0.5 + person.random()))
    }
  }

  const watch = watchProcesses(options.replicas, options.postgresPid, now)
  const progress = setInterval(() => {
    const errors = outcomes.filter((o) => !o.ok).length
    say(
      `  ${users} users: ${Math.min(seconds, Math.round(now() / 1000))} s of ${seconds}, ${outcomes.length.toLocaleString('en')} requests, ${errors} errors`,
    )
  }, 5000)
  const database: DatabaseSample[] = []
  const sampleDatabase = async () => {
    while (options.sampleDatabase && !isOver()) {
      // A sample the database could not give in time (it is overloaded too) is skipped, not fatal.
      const sample = await options.sampleDatabase().catch(() => undefined)
      if (sample) database.push(sample)
      await pause(1000)
    }
  }
  try {
    await Promise.all([...options.people.slice(0, users).map(virtualUser), sampleDatabase()])
  } finally {
    watch.stop()
    clearInterval(progress)
  }
  const { memory, machineBusy, cores } = watch.result(now() / 1000)
  return {
    users,
    startedAt,
    endedAt: new Date(),
    seconds,
    thinkMs: options.thinkMs,
    outcomes,
    steps,
    memory,
    database,
    machineBusy,
    cores,
  }
}

function parseJson(text: string): { data?: unknown; error?: { message?: string } } | undefined {
  try {
    return JSON.parse(text) as { data?: unknown; error?: { message?: string } }
  } catch {
    return undefined
  }
}

/**
 * Samples the memory and CPU of each replica (with its query workers), PostgreSQL and the load
 * generator every second, and the machine's CPU over the level.
 */
function watchProcesses(
  replicas: LevelOptions['replicas'],
  postgresPid: number | undefined,
  now: () => number,
) {
  const watched = [
    // A replica with its query workers: the work of its queries is done there.
    ...replicas.map((r) => ({
      name: `replica ${r.name} (with its query workers)`,
      read: () => sampleProcessTree(r.process.pid ?? 0),
    })),
    ...(postgresPid === undefined
      ? []
      : [{ name: 'PostgreSQL', read: () => sampleProcessTree(postgresPid) }]),
    {
      name: 'load generator',
      read: () => ({
        memoryMb: process.memoryUsage.rss() / 2 ** 20,
        cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      }),
    },
  ]
  const traces = watched.map((w) => ({ ...w, samples: [] as [number, number][], cpu0: 0 }))
  const takeSample = () => {
    for (const t of traces) {
      const s = t.read()
      if (s) t.samples.push([Math.round(now() / 100) / 10, s.memoryMb])
    }
  }
  for (const t of traces) t.cpu0 = t.read()?.cpuSeconds ?? 0
  const machine0 = machineCpu()
  takeSample()
  const sampler = setInterval(takeSample, 1000)
  return {
    stop: () => clearInterval(sampler),
    /** Each process's memory trace and CPU share, and the machine's, over `wallSeconds`. */
    result(wallSeconds: number) {
      const machine1 = machineCpu()
      const memory = traces.map((t): MemoryTrace => {
        const last = t.read()
        if (last) t.samples.push([Math.round(now() / 100) / 10, last.memoryMb])
        const mbs = t.samples.map(([, mb]) => mb)
        return {
          name: t.name,
          samples: t.samples,
          peakMb: Math.max(...mbs, 0),
          endMb: mbs.at(-1) ?? 0,
          cores: ((last?.cpuSeconds ?? t.cpu0) - t.cpu0) / wallSeconds,
        }
      })
      return {
        memory,
        machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total || 1),
        cores: Math.round((machine1.total - machine0.total) / wallSeconds),
      }
    },
  }
}
