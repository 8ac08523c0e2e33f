import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  createTestApp,
  openTestDatabase,
  openTestRuntime,
  signInAs,
  type TestDatabase,
  type TestRuntime,
} from '../testing/index.js'
import { coreMigrations } from './core-migrations.js'
import type { CoreTables } from './core-tables.js'
import { createRateLimiter } from './rate-limiter.js'

describe("a person's share of changes a minute", () => {
  let test: TestDatabase<CoreTables>
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>

  beforeAll(async () => {
    test = await openTestDatabase('postgres', {
      postgresUrl: inject('postgresUrl'),
      migrations: [coreMigrations],
    })
    runtime = await openTestRuntime({
      backend: 'pglite',
      scale: 0.05,
      env: { RATE_LIMIT_PER_MINUTE: '3' },
    })
    app = createTestApp(runtime)
  })
  afterAll(async () => {
    await test?.close()
    await runtime?.dispose()
  })

  it('is counted once for all replicas sharing the database', async () => {
    // Two limiters on one real PostgreSQL stand for two replicas, at one fixed moment.
    const now = () => new Date('2026-11-22T10:00:30Z')
    const a = createRateLimiter(test.db, { perMinute: 3, now })
    const b = createRateLimiter(test.db, { perMinute: 3, now })
    const decisions = await Promise.all([a, b, a, b].map((limiter) => limiter.hit('changes:u_1')))
    expect(decisions.map((d) => d.hits).sort()).toEqual([1, 2, 3, 4])
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(1)
    expect(decisions[0]?.retryAfterSeconds).toBe(30)
    // Somebody else's count is their own; the next minute starts afresh.
    expect((await a.hit('changes:u_2')).allowed).toBe(true)
    const later = createRateLimiter(test.db, {
      perMinute: 3,
      now: () => new Date('2026-11-22T10:01:05Z'),
    })
    expect(await later.hit('changes:u_1')).toMatchObject({ allowed: true, hits: 1 })
    // Windows that ended are pruned.
    const muchLater = createRateLimiter(test.db, {
      perMinute: 3,
      now: () => new Date('2026-11-22T10:05:00Z'),
    })
    expect(await muchLater.prune()).toBe(3)
  })

  it('answers 429 with Retry-After past the limit, and never counts reads', async () => {
    const officer = await signInAs(app, 'officer.moh')
    const run = () =>
      app.request('/api/query', {
        method: 'POST',
        headers: { ...officer, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT 1 AS one', format: 'json' }),
      })
    // Seven in a row span at most one turn of the minute, so one minute sees a fourth.
    const statuses: number[] = []
    let refused: Response | undefined
    for (let i = 0; i < 7 && !refused; i++) {
      const res = await run()
      statuses.push(res.status)
      if (res.status !== 200) refused = res
      // Reads in between are never counted.
      expect((await app.request('/api/query/history', { headers: officer })).status).toBe(200)
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200])
    expect(refused?.status).toBe(429)
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await refused?.json()) as { error: { code: string; message: string } }
    expect(body.error).toMatchObject({ code: 'rate_limited' })
    expect(body.error.message).toMatch(/at most 3 changes or queries a minute/)
    // Another person is not held back by the officer's count.
    const other = await signInAs(app, 'officer.moe')
    const theirs = await app.request('/api/query', {
      method: 'POST',
      headers: { ...other, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1 AS one', format: 'json' }),
    })
    expect(theirs.status).toBe(200)
  })
})
