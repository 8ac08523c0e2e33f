import { describe, expect, it } from 'vitest'
import { acquireQueryLease } from './query-lease.js'
import { createQueryPool } from './query-pool.js'
import type { WorkerLease } from './worker-lease.js'
import type { JobResult, WorkerJob } from './worker-protocol.js'

const JOB: WorkerJob = {
  sql: 'SELECT 1',
  views: [],
  format: 'json',
  answerPath: '/nowhere/answer',
  timeoutMs: 1_000,
  maxRows: 10,
  maxJsonBytes: 1_000,
}
const RESULT: JobResult = { columns: [], rows: 0, bytes: 2, truncated: false, views: [] }

/**
 * A real pool whose slots are told in `events`, and a worker and a list of running queries that
 * tell what is done to them there (the workers are processes: query-workers.test.ts runs them).
 */
function leaseParts(options: { workerFails?: Error } = {}) {
  const events: string[] = []
  const pool = createQueryPool({ maxRunning: 1, maxPerUser: 1, maxWaitMs: 50 })
  const cancels = new Map<string, () => void>()
  const worker: WorkerLease = {
    pid: undefined,
    check: async () => ({ ok: true, views: [] }),
    run: () => {
      events.push('job started')
      return { result: Promise.resolve(RESULT), stop: () => events.push('job stopped') }
    },
    release: () => events.push('worker given back'),
  }
  const deps = {
    pool: {
      async acquire(user: string) {
        const free = await pool.acquire(user)
        events.push('slot taken')
        return () => {
          free()
          events.push('slot freed')
        }
      },
    },
    workers: {
      async lease() {
        if (options.workerFails) throw options.workerFails
        events.push('worker leased')
        return worker
      },
    },
    running: {
      track(id: string, userId: string, cancel: () => void) {
        events.push(`tracked ${userId} ${id}`)
        cancels.set(id, cancel)
      },
      untrack(id: string, userId: string) {
        events.push(`untracked ${userId} ${id}`)
        cancels.delete(id)
      },
    },
  }
  return { events, pool, cancels, deps }
}

describe('query lease', () => {
  it('untracks its job, gives the worker back, then frees the slot, once however often released', async () => {
    const { events, pool, deps } = leaseParts()
    const lease = await acquireQueryLease({ id: 'q_1', userId: 'alice' }, deps)
    expect(await lease.run(JOB).result).toEqual(RESULT)
    lease.release()
    lease.release()
    expect(events).toEqual([
      'slot taken',
      'worker leased',
      'job started',
      'tracked alice q_1',
      'untracked alice q_1',
      'worker given back',
      'slot freed',
    ])
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 })
  })

  it('untracks nothing when no job was started (a query refused by the gate)', async () => {
    const { events, deps } = leaseParts()
    const lease = await acquireQueryLease({ id: 'q_1', userId: 'alice' }, deps)
    expect(await lease.check('SELECT 1', [])).toEqual({ ok: true, views: [] })
    lease.release()
    expect(events).toEqual(['slot taken', 'worker leased', 'worker given back', 'slot freed'])
  })

  it('lets a cancel stop its job while it is tracked', async () => {
    const { events, cancels, deps } = leaseParts()
    const lease = await acquireQueryLease({ id: 'q_1', userId: 'alice' }, deps)
    lease.run(JOB)
    cancels.get('q_1')?.()
    lease.release()
    expect(events).toEqual([
      'slot taken',
      'worker leased',
      'job started',
      'tracked alice q_1',
      'job stopped',
      'untracked alice q_1',
      'worker given back',
      'slot freed',
    ])
    expect(cancels.size).toBe(0)
  })

  it('frees the slot again when no worker can be had, and holds nothing', async () => {
    const failure = new Error('no worker')
    const { events, pool, deps } = leaseParts({ workerFails: failure })
    await expect(acquireQueryLease({ id: 'q_1', userId: 'alice' }, deps)).rejects.toBe(failure)
    expect(events).toEqual(['slot taken', 'slot freed'])
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 })
  })
})
