import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  call,
  type Replica,
  signInAs,
  startReplica,
  stopReplica,
  useTestPlatform,
} from '../../testing/index.js'

// Two server processes on one PostgreSQL and one data directory, as a load balancer would see
// them: nothing a request needs may live in one process's memory.

// Loads the fixture data once, as the first deployment would; the replicas then start on it.
const platform = useTestPlatform({
  backend: 'postgres',
  postgresUrl: inject('postgresUrl'),
  env: { PROCESS_TIMEOUT_SECONDS: '2' },
})
let a: Replica
let b: Replica

beforeAll(async () => {
  const { runtime } = platform
  const env = {
    // A replica silent for 2 s is dead; the others look every second.
    PROCESS_TIMEOUT_SECONDS: '2',
    DATA_DIR: runtime.dataDir,
    DATABASE_URL: runtime.config.DATABASE_URL ?? '',
    FIXTURE_SCALE: String(runtime.config.FIXTURE_SCALE),
    DEV_SIGN_IN: 'true',
    LOG_LEVEL: 'warn',
  }
  a = await startReplica(env)
  b = await startReplica(env)
})
// Registered after the platform's: runs before it is disposed of.
afterAll(async () => {
  await Promise.all([stopReplica(a), stopReplica(b)])
})

describe('two replicas on one PostgreSQL database and one data directory', () => {
  it('keeps a session signed in on one replica valid on the other, and signs it out on both', async () => {
    const officer = await signInAs(a, 'officer.moh')
    const me = await call<{ user: { username: string } }>(b, 'GET', '/api/auth/me', officer)
    expect(me.data.user.username).toBe('officer.moh')
    expect((await call(b, 'POST', '/api/auth/sign-out', officer, {})).status).toBe(200)
    expect((await call<unknown>(a, 'GET', '/api/auth/me', officer)).data).toBeNull()
  })

  it('cancels a query running on one replica through the other', async () => {
    const officer = await signInAs(a, 'officer.moh')
    const id = 'q_replica-cancel-0001'
    const runaway = call(a, 'POST', '/api/query', officer, {
      id,
      sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
      format: 'json',
    })
    // The cancel reaches replica B, which does not run the query: it is marked, and A stops it.
    let cancelled: { status: number } | undefined
    for (let i = 0; i < 100 && cancelled?.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      cancelled = await call(b, 'POST', `/api/query/${id}/cancel`, officer, {})
    }
    expect(cancelled?.status).toBe(200)
    const answer = await runaway
    expect(answer.message).toBe('The query was cancelled')
    const history = await call<{ id: string; status: string }[]>(
      b,
      'GET',
      '/api/query/history',
      officer,
    )
    expect(history.data.find((entry) => entry.id === id)?.status).toBe('cancelled')
    // Nobody else's query can be cancelled from anywhere.
    const other = await signInAs(b, 'officer.moe')
    expect((await call(b, 'POST', `/api/query/${id}/cancel`, other, {})).status).toBe(404)
  })

  it('grants once when stewards approve one request through both replicas at once, and the other replica enforces it at once', async () => {
    const officer = await signInAs(b, 'officer.moh')
    const steward = await signInAs(a, 'steward.dos')
    const query = (replica: Replica) =>
      call<{ rows: unknown[][] }>(replica, 'POST', '/api/query', officer, {
        sql: 'SELECT count(*) AS persons FROM person_address_pa',
        format: 'json',
      })
    // Not granted yet: neither replica lets the officer read the full data.
    expect((await query(a)).status).toBeGreaterThanOrEqual(400)
    expect((await query(b)).status).toBeGreaterThanOrEqual(400)

    const created = await call<{ id: string }>(b, 'POST', '/api/requests', officer, {
      dataset: 'person-address-pa',
      columns: ['planning_area_code', 'age_band', 'sex'],
      purpose: 'Plan polyclinic capacity by planning area and age band',
      legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
      durationDays: 60,
    })
    expect(created.status).toBe(201)
    const id = created.data.id

    // The same approval through both replicas at the same moment: one wins, the other is told.
    const [viaA, viaB] = await Promise.all([
      call(a, 'POST', `/api/requests/${id}/approve`, steward, {}),
      call(b, 'POST', `/api/requests/${id}/approve`, steward, {}),
    ])
    expect([viaA.status, viaB.status].sort()).toEqual([200, 409])
    const grants = await platform.runtime.db
      .selectFrom('grants')
      .select(['id'])
      .where('request_id', '=', id)
      .execute()
    expect(grants).toHaveLength(1)

    // Granted on one replica, readable through the other at once; revoked, gone at once.
    const granted = await query(a)
    expect(granted.status).toBe(200)
    expect((await query(b)).status).toBe(200)
    const revoked = await call(b, 'POST', `/api/grants/${grants[0]?.id}/revoke`, steward, {
      reason: 'Project closed early',
    })
    expect(revoked.status).toBe(200)
    expect((await query(a)).status).toBeGreaterThanOrEqual(400)
    expect((await query(b)).status).toBeGreaterThanOrEqual(400)
  })
})

describe('two replicas sharing the limits and the work of a killed one', () => {
  it("counts a person's queries on every replica against their one limit", async () => {
    const officer = await signInAs(a, 'officer.moe')
    const runaway = (replica: Replica, id: string) =>
      call(replica, 'POST', '/api/query', officer, {
        id,
        sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
        format: 'json',
      })
    const ids = ['q_limit-across-0001', 'q_limit-across-0002']
    // Two running on A (QUERY_MAX_PER_USER is 2) …
    const running = ids.map((id) => runaway(a, id))
    const statuses = async () =>
      (
        await platform.runtime.db
          .selectFrom('query_history')
          .select('status')
          .where('id', 'in', ids)
          .execute()
      ).map((r) => r.status)
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(['running', 'running'])
    // … so a third through B waits its turn, then is refused, saying why.
    const third = await runaway(b, 'q_limit-across-0003')
    expect(third.status).toBe(503)
    expect(third.message).toMatch(/already have 2 queries or downloads running/)
    for (const id of ids) await call(b, 'POST', `/api/query/${id}/cancel`, officer, {})
    expect((await Promise.all(running)).map((r) => r.message)).toEqual([
      'The query was cancelled',
      'The query was cancelled',
    ])
    // Their slots are free again: the next query runs.
    const next = await call(b, 'POST', '/api/query', officer, {
      sql: 'SELECT 1 AS one',
      format: 'json',
    })
    expect(next.status).toBe(200)
  })

  // Last: it kills replica A.
  it('marks a query failed, with the reason, when the replica running it is killed', async () => {
    const officer = await signInAs(a, 'officer.moh')
    const id = 'q_replica-killed-0001'
    const runaway = call(a, 'POST', '/api/query', officer, {
      id,
      sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
      format: 'json',
    }).catch((error: unknown) => error)
    const statusOf = async () =>
      await platform.runtime.db
        .selectFrom('query_history')
        .select(['status', 'error'])
        .where('id', '=', id)
        .executeTakeFirst()
    await expect.poll(statusOf, { timeout: 10_000 }).toMatchObject({ status: 'running' })
    const exited = once(a.process, 'exit')
    a.process.kill('SIGKILL')
    await exited
    expect(await runaway).toBeInstanceOf(Error)
    // Replica B notices A's silence and marks what A left running as failed, saying why.
    await expect.poll(statusOf, { timeout: 15_000, interval: 250 }).toEqual({
      status: 'failed',
      error: 'The server running this query stopped before it finished',
    })
    const history = await call<{ id: string; status: string }[]>(
      b,
      'GET',
      '/api/query/history',
      officer,
    )
    expect(history.data.find((entry) => entry.id === id)?.status).toBe('failed')
  })
})
