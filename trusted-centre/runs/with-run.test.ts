import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { lineageRunId, type RunEvent, type RunEventType, runEvent } from '../../lineage/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../testing/index.js'
import { trustedCentreMigrations } from '../migrations.js'
import type { TrustedCentreTables } from '../tc-tables.js'
import type { Run } from './run.js'
import { createRunStore, type RunStore } from './run-store.js'
import { type RunPlan, withRun } from './with-run.js'

const START = new Date('2026-11-22T08:35:00.000Z')
const END = new Date('2026-11-22T08:36:00.000Z')

/** Each call of a plan's lineage: the event asked for, the run's status then, the details. */
type Seen = [RunEventType, Run['status'], unknown][]

/** A clock that reads the given times in turn, then END. */
const ticking =
  (...times: Date[]) =>
  () =>
    times.shift() ?? END

/** A plan whose lineage writes down every call, and makes one plain event of each. */
function observedPlan(seen: Seen): RunPlan<{ rows: number }> {
  return {
    kind: 'fuse',
    subject: 'test_pipeline',
    failure: 'Fusion failed: nothing was published',
    events: (run, eventType, details) => {
      seen.push([eventType, run.status, details])
      return [
        runEvent({ eventType, eventTime: END, runId: run.id, job: { name: 'test', type: 'TEST' } }),
      ]
    },
  }
}

describe.each(TEST_BACKENDS)('withRun on %s', (backend) => {
  let test: TestDatabase<TrustedCentreTables>
  let runs: RunStore

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [trustedCentreMigrations],
    })
    runs = createRunStore(test.db)
  })
  afterAll(() => test.close())

  const recording = () => {
    const recorded: RunEvent[] = []
    return { recorded, lineage: { record: async (event: RunEvent) => void recorded.push(event) } }
  }

  it('records a successful run, emitting START then COMPLETE with what its work reported', async () => {
    const seen: Seen = []
    const { recorded, lineage } = recording()
    let workedOn: string | undefined
    const { run, result } = await withRun(
      { runs, lineage, now: ticking(START, END) },
      observedPlan(seen),
      async (id) => {
        workedOn = id
        return {
          outcome: {
            status: 'succeeded',
            message: 'Published test v1 with 3 rows',
            published: true,
          },
          details: { rows: 3 },
          result: 'done',
        }
      },
    )
    expect(result).toBe('done')
    expect(run.id).toBe(workedOn)
    expect(run).toMatchObject({
      kind: 'fuse',
      subject: 'test_pipeline',
      status: 'succeeded',
      startedAt: START,
      finishedAt: END,
      message: 'Published test v1 with 3 rows',
      published: true,
    })
    expect(await runs.findRun(run.id)).toEqual(run)
    expect(seen).toEqual([
      ['START', 'running', undefined],
      ['COMPLETE', 'succeeded', { rows: 3 }],
    ])
    expect(recorded.map((e) => [e.eventType, e.run.runId])).toEqual([
      ['START', lineageRunId(run.id)],
      ['COMPLETE', lineageRunId(run.id)],
    ])
  })

  it('marks the run failed, emits FAIL and rethrows when its work throws, withholding its words', async () => {
    const seen: Seen = []
    const { recorded, lineage } = recording()
    const thrown = new Error("Conversion Error: Could not convert string 'S1234567D' to INT32")
    let runId = ''
    await expect(
      withRun({ runs, lineage, now: ticking(START, END) }, observedPlan(seen), async (id) => {
        runId = id
        throw thrown
      }),
    ).rejects.toBe(thrown)
    expect(await runs.findRun(runId)).toMatchObject({
      status: 'failed',
      finishedAt: END,
      message: 'Fusion failed: nothing was published',
    })
    const row = await test.db
      .selectFrom('tc_runs')
      .select('withheld_detail')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow()
    expect(row.withheld_detail).toEqual({ error: thrown.message })
    expect(seen).toEqual([
      ['START', 'running', undefined],
      ['FAIL', 'failed', undefined],
    ])
    expect(recorded.map((e) => e.eventType)).toEqual(['START', 'FAIL'])
  })

  it('emits FAIL and returns when its work reports a failed outcome', async () => {
    const seen: Seen = []
    const { lineage } = recording()
    const { run, result } = await withRun(
      { runs, lineage, now: ticking(START, END) },
      observedPlan(seen),
      async () => ({
        outcome: { status: 'failed', message: 'Not published: a blocking check failed' },
        details: { rows: 0 },
        result: 'refused',
      }),
    )
    expect(result).toBe('refused')
    expect(run).toMatchObject({
      status: 'failed',
      message: 'Not published: a blocking check failed',
    })
    expect(seen).toEqual([
      ['START', 'running', undefined],
      ['FAIL', 'failed', { rows: 0 }],
    ])
  })

  it('starts at the instant it is given, with the delivery it consumes', async () => {
    const receivedAt = new Date('2026-11-22T08:30:00.123Z')
    const plan = { ...observedPlan([]), kind: 'ingest' as const, startedAt: receivedAt }
    const { run } = await withRun(
      { runs, now: ticking(END) },
      { ...plan, deliverySha256: 'a'.repeat(64) },
      async () => ({ outcome: { status: 'succeeded' }, result: undefined }),
    )
    expect(run.id).toMatch(/^run_20261122T083000123_[0-9a-f]{6}$/)
    expect(run).toMatchObject({
      kind: 'ingest',
      startedAt: receivedAt,
      finishedAt: END,
      deliverySha256: 'a'.repeat(64),
    })
  })

  it('makes no events when nothing observes the run', async () => {
    const seen: Seen = []
    await withRun({ runs, now: ticking(START, END) }, observedPlan(seen), async () => ({
      outcome: { status: 'succeeded' },
      result: undefined,
    }))
    expect(seen).toEqual([])
  })
})
