import { describe, expect, it } from 'vitest'
import type { Entitlement } from '../access/index.js'
import type { User, UserId } from '../identity/index.js'
import type { QueryFormat } from './answer-formats.js'
import { viewsOf } from './caller-views.js'
import { QueryLimitError, QueryRefusedError } from './errors.js'
import { createGateVerdicts } from './gate-verdicts.js'
import { createOpenAnswers } from './open-answers.js'
import type { AnswerInputs, QueryAnswer, WriteAnswer } from './query-answers.js'
import type { RunOutcome } from './query-history.js'
import { BusyError, createQueryPool } from './query-pool.js'
import { type QueryRunDeps, runQuery } from './query-run.js'
import type { GateVerdict } from './sql-gate.js'
import { JobError, type WorkerJob } from './worker-protocol.js'

const alice: User = {
  id: 'u_00000000000000000000a11c' as UserId,
  username: 'alice',
  displayName: 'Alice Tan',
  email: 'alice@example.gov.sg',
  agency: { code: 'DOS', name: 'Department of Statistics', ministryFamily: 'MTI' },
  roles: ['officer'],
}
const persons: Entitlement = {
  dataset: { id: 'ds_persons', slug: 'persons', title: 'Persons', agency: 'DOS' },
  scope: 'full',
  basis: 'grant',
  grantId: 'g_1',
  files: [{ version: 2, path: 'datasets/persons/v2.parquet' }],
  columns: undefined,
  rowFilter: [],
  inClear: [],
  schema: [{ name: 'area', type: 'VARCHAR', personalData: 'none' }],
  expiresAt: undefined,
  pseudonymScope: 'grant:g_1',
}
const JOB: WorkerJob = {
  sql: 'SELECT area FROM persons',
  views: [],
  format: 'json',
  answerPath: '/nowhere/answer',
  timeoutMs: 1_000,
  maxRows: 10,
  maxJsonBytes: 1_000,
}

/**
 * The lifecycle over the real pool and open answers, with a worker that answers `verdict`, and
 * records, history and projections kept in memory. Every recording notes what was still held.
 */
function lifecycle(options: { verdict: GateVerdict; write?: WriteAnswer; maxOpen?: number }) {
  const events: string[] = []
  const recorded: { outcome: RunOutcome; used: readonly string[]; held: object }[] = []
  const pool = createQueryPool({ maxRunning: 2, maxPerUser: 2, maxWaitMs: 50 })
  const answers = createOpenAnswers({ maxPerPerson: options.maxOpen ?? 4, stallMs: 30_000 })
  const write: WriteAnswer = options.write ?? (() => Promise.reject(new Error('not written')))
  const deps: QueryRunDeps = {
    history: {
      start: async (id) => {
        events.push(`history ${id}`)
      },
    },
    answers,
    pool,
    workers: {
      lease: async () => ({
        pid: undefined,
        check: async () => options.verdict,
        run: () => ({ result: new Promise(() => {}), stop: () => events.push('job stopped') }),
        release: () => events.push('worker given back'),
      }),
    },
    running: {
      track: (id) => events.push(`tracked ${id}`),
      untrack: (id) => events.push(`untracked ${id}`),
    },
    projections: {
      file: async (view, version) => `/projections/${view.name}-v${version}.parquet`,
      pathOf: (view, version) => `/projections/${view.name}-v${version}.parquet`,
    },
    verdicts: createGateVerdicts(),
    releases: { earlier: async () => ({ releases: [], seq: 0 }) },
    outputRules: { minCount: 10, dominanceP: 10 },
    answerIn: Object.fromEntries(
      (['json', 'csv', 'ndjson', 'arrow', 'parquet'] as const).map((f) => [f, write]),
    ) as Record<QueryFormat, WriteAnswer>,
    records: {
      run: async (_run, outcome, used) => {
        events.push('recorded')
        recorded.push({
          outcome,
          used,
          held: { pool: pool.stats(), openAnswers: answers.count(alice.id) },
        })
      },
    },
  }
  const run = (format: QueryFormat = 'json') =>
    runQuery(
      {
        user: alice,
        request: { sql: 'SELECT area FROM persons', format, id: 'q_run-one' },
        views: viewsOf([persons]),
      },
      deps,
    )
  return { run, events, recorded, answers }
}

const NOTHING_HELD = { pool: { running: 0, waiting: 0 }, openAnswers: 0 }

describe('running a query', () => {
  it('hands its writer the views the gate found, with their projections, and the lease', async () => {
    const answer: QueryAnswer = {
      id: 'q_run-one',
      contentType: 'text/csv',
      rowLimit: 10,
      fileName: 'persons_2026-12-07T1530+0800.csv',
      body: new ReadableStream(),
    }
    let given: AnswerInputs | undefined
    const { run, events, recorded } = lifecycle({
      verdict: { ok: true, views: ['persons'] },
      write: async (inputs) => {
        given = inputs
        return answer
      },
    })
    expect(await run('csv')).toBe(answer)
    expect(given?.views).toEqual([{ name: 'persons', file: '/projections/persons-v2.parquet' }])
    expect(given?.disclosure).toBeUndefined()
    expect(given?.run).toMatchObject({ id: 'q_run-one', format: 'csv', sql: JOB.sql })
    // The writer gives the lease back when its answer is written; the run is recorded then.
    expect(events).toEqual(['history q_run-one'])
    expect(recorded).toEqual([])
  })

  it('gives back its lease, then its open answer, before it records a refused query', async () => {
    const { run, events, recorded } = lifecycle({
      verdict: { ok: false, message: 'Only a SELECT may run here', position: 3 },
    })
    const refusal = await run().catch((e: unknown) => e)
    expect(refusal).toBeInstanceOf(QueryRefusedError)
    expect(refusal).toMatchObject({ message: 'Only a SELECT may run here', position: 3 })
    expect(events).toEqual(['history q_run-one', 'worker given back', 'recorded'])
    expect(recorded).toEqual([
      {
        outcome: { status: 'failed', error: 'Only a SELECT may run here' },
        used: [],
        held: NOTHING_HELD,
      },
    ])
  })

  it('throws a failed job as the caller’s error, recorded with the views it read', async () => {
    const { run, events, recorded } = lifecycle({
      verdict: { ok: true, views: ['persons'] },
      write: async ({ lease }) => {
        lease.run(JOB)
        throw new JobError({ kind: 'limit', limit: 'time', message: 'Past the time limit' })
      },
    })
    const failure = await run().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(QueryLimitError)
    expect(failure).toMatchObject({ limit: 'time', message: 'Past the time limit' })
    expect(events).toEqual([
      'history q_run-one',
      'tracked q_run-one',
      'untracked q_run-one',
      'worker given back',
      'recorded',
    ])
    expect(recorded).toEqual([
      {
        outcome: { status: 'failed', error: 'Past the time limit' },
        used: ['persons'],
        held: NOTHING_HELD,
      },
    ])
  })

  it('refuses a person whose answers are all on their way, taking no slot, and records it', async () => {
    const { run, events, recorded, answers } = lifecycle({
      verdict: { ok: true, views: ['persons'] },
      maxOpen: 1,
    })
    const open = answers.reserve(alice.id)
    await expect(run()).rejects.toBeInstanceOf(BusyError)
    expect(events).toEqual(['history q_run-one', 'recorded'])
    expect(recorded).toEqual([
      {
        outcome: {
          status: 'failed',
          error: 'You have 1 answers still on their way to you: read them (or close them) first',
        },
        used: [],
        held: { pool: { running: 0, waiting: 0 }, openAnswers: 1 },
      },
    ])
    open.release()
  })
})
