import { describe, expect, it } from 'vitest'
import { appDepsOf, createApp } from '../testing/index.js'
import { type Answer, useQueryApi } from './routes-test-kit.js'

describe('queries through the API: ids, dead workers, bodies, answers on their way', () => {
  const { platform, post, query } = useQueryApi()

  it('answers 409 to an id its person used before; another person’s ids are not theirs', async () => {
    const first = await query('officer.moh', { id: 'q_reused-id-0001', sql: 'SELECT 1 AS one' })
    expect(first.status).toBe(200)
    const again = await query('officer.moh', { id: 'q_reused-id-0001', sql: 'SELECT 2 AS two' })
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(/you have used the query id 'q_reused-id-0001'/)
    const someoneElse = await query('officer.moe', { id: 'q_reused-id-0001', sql: 'SELECT 3 AS n' })
    expect(someoneElse.status).toBe(200)
    expect(someoneElse.body.data.rows).toEqual([[3]])
  })

  it('records a query whose worker process dies as failed, saying why, and runs the next one', async () => {
    const id = 'q_worker-killed-0001'
    // A worker is up and warm, so the kill below meets the query running, not a worker starting.
    expect((await query('officer.moh', { sql: 'SELECT 1' })).status).toBe(200)
    const running = query('officer.moh', {
      id,
      sql: "SELECT count(*) FROM person_address_pa a, person_address_pa b, person_address_pa c, person_address_pa d WHERE a.person_key || b.sex || c.sex || d.sex = 'x'",
    })
    const status = async () =>
      (
        await platform.runtime.db
          .selectFrom('query_history')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst()
      )?.status
    for (let i = 0; i < 100 && (await status()) !== 'running'; i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    // Past its gate and into DuckDB (which takes milliseconds; a second is a wide margin).
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const busy = platform.runtime.query.workers().pids
    for (const pid of busy) process.kill(pid, 'SIGKILL')
    const answer = await running
    expect(answer.status).toBe(422)
    expect(answer.body.error.message).toMatch(
      /^The query's process was killed \(SIGKILL\) from outside it/,
    )
    const row = await platform.runtime.db
      .selectFrom('query_history')
      .select(['status', 'error'])
      .where('id', '=', id)
      .executeTakeFirst()
    expect(row).toEqual({ status: 'failed', error: answer.body.error.message })
    const audit = await platform.runtime.audit.list({ limit: 20 })
    expect(audit.find((e) => e.subjectId === id)).toMatchObject({
      outcome: 'failed',
      details: { views: ['person_address_pa'], error: answer.body.error.message },
    })
    expect(
      (await query('officer.moh', { sql: 'SELECT count(*) FROM person_address_pa' })).status,
    ).toBe(200)
  })

  it('refuses a NUL character and an oversized body with a 400 saying what to fix', async () => {
    const nul = await query('officer.moh', { sql: 'SELECT \u0000 1' })
    expect(nul.status).toBe(400)
    expect(nul.body.error.message).toMatch(/NUL character/)
    const huge = await query('officer.moh', {
      sql: 'SELECT 1',
      format: 'json',
      // Past the route's own 401,000 bytes, within the API's 1 MB (beyond it: 413, tested apart).
      pad: 'x'.repeat(5e5),
    })
    expect(huge.status).toBe(400)
    expect(huge.body.error.message).toMatch(/^The request body is larger than 401,000 bytes/)
  })

  it('keeps at most four answers a person on their way, without holding the pool for them', async () => {
    // Unread answers are the point: the checking app reads each JSON answer whole (to hold it to
    // the OpenAPI document), which would deliver it; these are sent by the app unchecked.
    const unchecked = createApp(appDepsOf(platform.runtime))
    const send = (format = 'json') =>
      unchecked.request('/api/query', {
        method: 'POST',
        headers: { ...platform.as['officer.moe'], 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT count(*) FROM person_address_pa_sample', format }),
      })
    const unread: Response[] = []
    // Answers of any kind, written and not yet read (a slow reader's, say).
    for (const format of ['json', 'csv', 'json', 'parquet']) {
      const res = await send(format)
      expect(res.status).toBe(200)
      unread.push(res)
    }
    // Others are not held up by them…
    expect((await post('/api/query', 'officer.moh', { sql: 'SELECT 1' })).status).toBe(200)
    // …but a fifth is refused until one is read.
    const fifth = await send()
    expect(fifth.status).toBe(503)
    expect(((await fifth.json()) as Answer<unknown>).error.message).toMatch(
      /You have 4 answers still on their way to you/,
    )
    await unread[0]?.json()
    const after = await send()
    expect(after.status).toBe(200)
    for (const res of [...unread.slice(1), after]) await res.body?.cancel()
  })

  it('ends an answer on its way once the grant it reads from ends', async () => {
    const grants = await platform.app.request('/api/grants', {
      headers: platform.as['steward.dos'],
    })
    const grant = (
      (await grants.json()) as Answer<{ id: string; grantee: { username: string } }[]>
    ).data.find((g) => g.grantee.username === 'officer.moh')
    // A large answer, of which the client reads a first piece only.
    const res = await post('/api/query', 'officer.moh', {
      sql: "SELECT a.person_key, repeat('x', 200) AS pad FROM person_address_pa a, person_address_pa b",
      format: 'csv',
    })
    expect(res.status).toBe(200)
    const reader = res.body?.getReader()
    expect((await reader?.read())?.value?.byteLength).toBeGreaterThan(0)
    const revoked = await post(`/api/grants/${grant?.id}/revoke`, 'steward.dos', {
      reason: 'The project ended',
    })
    expect(revoked.status).toBe(200)
    // The replicas' sweep (every 15 s in a server) ends the answer and removes the projection.
    await platform.runtime.query.sweepProjections()
    const rest = (async () => {
      for (;;) if ((await reader?.read())?.done) return 'ended quietly'
    })()
    await expect(rest).rejects.toThrow(/A grant this answer reads from has ended/)
  })
})
