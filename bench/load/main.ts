import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { emitSection } from '../report/bench-section.js'
import { createCleanup, startLoadEnvironment } from './load-environment.js'
import { runLevel } from './load-level.js'
import { loadSection } from './load-report.js'
import type { ReportedLevel } from './load-verdict.js'

// `npm run bench:load [-- --users 50,200,400 --seconds 60]`: closed-loop virtual users doing what
// officers do in the portal (search, dataset pages, sample previews and downloads, queries,
// access requests, the inbox) against two replicas on one PostgreSQL, on loopback only; then
// throughput, latency percentiles, errors by kind and status, and each process's memory and CPU.
const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50,200,400' },
    seconds: { type: 'string', default: '60' },
    'think-ms': { type: 'string', default: '1000' },
    'timeout-ms': { type: 'string', default: '30000' },
    scale: { type: 'string', default: '1' },
    'grant-every': { type: 'string', default: '4' },
  },
})
const LEVELS = (values.users ?? '').split(',').map(Number)
const SECONDS = Number(values.seconds)
const THINK_MS = Number(values['think-ms'])
const TIMEOUT_MS = Number(values['timeout-ms'])
const SCALE = Number(values.scale)
const GRANT_EVERY = Number(values['grant-every'])
if (LEVELS.some((u) => !Number.isInteger(u) || u < 1) || !(SECONDS > 0))
  throw new Error('--users takes whole numbers (e.g. 50,200) and --seconds a positive number')
const say = (text: string) => process.stderr.write(`${text}\n`)

// Bounded whatever happens: setup may take 10 minutes, each level its seconds plus the last
// calls' timeout plus a pause; past that the run is aborted, and killed a minute later.
const deadlineMs = 600_000 + LEVELS.length * (SECONDS * 1000 + TIMEOUT_MS + 30_000)
const abort = new AbortController()
const cleanup = createCleanup(say)
const hardStop = (code: number) => {
  cleanup.exitNow()
  process.exit(code)
}
const deadline = setTimeout(() => {
  say(`The overall deadline (${Math.round(deadlineMs / 1000)} s) passed: stopping`)
  abort.abort()
  setTimeout(() => hardStop(1), 60_000).unref()
}, deadlineMs)
deadline.unref()
// On Ctrl-C the PostgreSQL package's own handler stops its server and exits as soon as it has,
// which may cut the undoing short: on exit, whatever is left is killed and deleted at once.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    say(`${signal}: stopping the replicas and PostgreSQL …`)
    abort.abort()
    void cleanup.run().finally(() => hardStop(130))
  })
process.once('exit', () => cleanup.exitNow())

// Replica settings a deployment would also choose; none beyond the defaults.
const replicaEnv: Record<string, string> = {}
try {
  const logDir = await mkdtemp(join(tmpdir(), 'portal-bench-load-'))
  const environment = await startLoadEnvironment(
    {
      scale: SCALE,
      people: Math.max(...LEVELS),
      grantEvery: GRANT_EVERY,
      logDir,
      replicaEnv,
      say,
    },
    cleanup,
  )
  const levels: ReportedLevel[] = []
  for (const users of LEVELS) {
    if (abort.signal.aborted) break
    say(`${users} users for ${SECONDS} s …`)
    const level = await runLevel({
      users,
      seconds: SECONDS,
      thinkMs: THINK_MS,
      timeoutMs: TIMEOUT_MS,
      replicas: environment.replicas,
      people: environment.people,
      catalogue: environment.catalogue,
      ...(environment.postgresPid === undefined ? {} : { postgresPid: environment.postgresPid }),
      sampleDatabase: () => environment.sampleDatabase(),
      signal: abort.signal,
      say,
    })
    levels.push({
      ...level,
      queryRunMs: await environment.queryRunMs(level.startedAt, level.endedAt),
    })
    // Lets the replicas finish what the last calls started (audit entries, statistics).
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
  if (abort.signal.aborted) throw new Error('The load bench was stopped before it finished')
  say(`Replica logs: ${logDir}`)
  await emitSection(
    await loadSection(levels, {
      scale: SCALE,
      thinkMs: THINK_MS,
      timeoutMs: TIMEOUT_MS,
      replicaEnv,
      grantHolders: environment.people.filter((p) => p.granted.size > 0).length,
      people: environment.people.length,
    }),
  )
} finally {
  clearTimeout(deadline)
  await cleanup.run()
}
