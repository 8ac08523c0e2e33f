import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  type Cleanup,
  createCleanup,
  type LoadEnvironment,
  startLoadEnvironment,
} from './load-environment.js'
import { runLevel } from './load-level.js'
import { LOAD_KINDS } from './load-mix.js'
import { summariseCalls } from './load-outcome.js'

// The load bench's mix, briefly and lightly, against two real replicas: every kind of call the
// bench measures works as the bench makes it, so a bench run's errors are the server's.
describe('the load bench', () => {
  let cleanup: Cleanup
  let environment: LoadEnvironment

  beforeAll(async () => {
    cleanup = createCleanup(() => undefined)
    const logDir = await mkdtemp(join(tmpdir(), 'portal-bench-load-test-'))
    cleanup.defer(() => rm(logDir, { recursive: true, force: true }))
    environment = await startLoadEnvironment(
      {
        postgresUrl: inject('postgresUrl'),
        scale: 0.2,
        people: 4,
        grantEvery: 2,
        logDir,
        say: () => undefined,
      },
      cleanup,
    )
  })
  afterAll(async () => {
    await cleanup?.run()
  })

  it('runs every kind of call of the mix on two replicas without an error', {
    timeout: 150_000,
  }, async () => {
    // A withdrawal comes only once a person has asked for every dataset.
    const kinds = LOAD_KINDS.filter((k) => k !== 'request-withdraw')
    // Six seconds, or until every kind of call has come up however busy the machine is (the
    // draws are seeded, so it is the number of steps taken that varies), within the test's time.
    const level = await runLevel({
      users: 4,
      seconds: 6,
      thinkMs: 20,
      timeoutMs: 10_000,
      replicas: environment.replicas,
      people: environment.people,
      catalogue: environment.catalogue,
      until: (outcomes) => kinds.every((kind) => outcomes.some((o) => o.kind === kind)),
      signal: AbortSignal.timeout(90_000),
      say: () => undefined,
    })
    const summary = summariseCalls(level.outcomes, level.seconds)
    expect(summary.errorGroups).toEqual([])
    expect([...summary.perKind.keys()].sort()).toEqual([...kinds].sort())
    expect(level.memory.map((m) => m.name)).toEqual([
      'replica a (with its query workers)',
      'replica b (with its query workers)',
      'load generator',
    ])
    expect(level.memory.every((m) => m.peakMb > 0)).toBe(true)
  })
})
