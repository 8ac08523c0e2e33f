import { describe, expect, it } from 'vitest'
import type { Entitlement } from '../access/index.js'
import type { User, UserId } from '../identity/index.js'
import { viewsOf } from './caller-views.js'
import type { QueryHistory } from './query-history.js'
import { createQueryRecords, type Run } from './query-records.js'

const alice: User = {
  id: 'u_alice' as UserId,
  username: 'alice',
  displayName: 'Alice',
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
}
const granted: Entitlement = {
  dataset: { id: 'd_1', slug: 'persons', title: 'Persons', agency: 'DOS' },
  scope: 'full',
  basis: 'grant',
  grantId: 'g_1',
  files: [{ version: 1, path: 'tc/persons/v1.parquet' }],
  columns: undefined,
  rowFilter: [],
  inClear: [],
  schema: [{ name: 'area', type: 'VARCHAR', personalData: 'none' }],
  expiresAt: undefined,
  pseudonymScope: 'grant:g_1',
}
const run: Run = {
  id: 'q_1',
  user: alice,
  sql: 'SELECT area FROM persons',
  format: 'json',
  views: viewsOf([granted]),
  requestId: 'r_1',
}

describe('the records of a finished query', () => {
  it('writes history, usage and audit at once, not one after another', async () => {
    const started: string[] = []
    let finish = () => {}
    const ended = new Promise<void>((resolve) => {
      finish = resolve
    })
    // Each write waits until all are under way: one waiting for another would never end.
    const write = (what: string) => async () => {
      started.push(what)
      if (started.length === 4) finish()
      await ended
      return {} as never
    }
    const records = createQueryRecords({
      history: { finish: write('history') } as unknown as QueryHistory,
      recordUse: write('usage'),
      recordGrantUse: write('grant usage'),
      audit: { append: write('audit') },
      now: () => new Date(0),
    })
    await records.run(run, { status: 'succeeded', rows: 1, bytes: 10 }, ['persons'])
    expect(started.sort()).toEqual(['audit', 'grant usage', 'history', 'usage'])
  })

  it('counts no use of a query that failed, and still audits it', async () => {
    const written: string[] = []
    const note = (what: string) => async () => {
      written.push(what)
      return {} as never
    }
    const records = createQueryRecords({
      history: { finish: note('history') } as unknown as QueryHistory,
      recordUse: note('usage'),
      recordGrantUse: note('grant usage'),
      audit: { append: note('audit') },
      now: () => new Date(0),
    })
    await records.run(run, { status: 'failed', error: 'no' }, ['persons'])
    expect(written.sort()).toEqual(['audit', 'history'])
  })
})
