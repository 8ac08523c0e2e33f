import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  openTestRuntime,
  type Replica,
  signInAs,
  startReplica,
  startThrowawayPostgres,
  stopReplica,
  type TestRuntime,
  type ThrowawayPostgres,
} from '../../testing/index.js'

/** Clients sending requests back to back while the database goes away and comes back. */
const CLIENTS = 8
/**
 * A request still unanswered after this long counts as a hang (generous: a busy machine may be
 * slow, but a hang never answers).
 */
const HANG_MS = 30_000
/** How long the database may take to serve every kind of request again once it is back. */
const RECOVERY_MS = 120_000

interface Answer {
  path: string
  status: number
  retryAfter: string | null
  body: string
}

// PostgreSQL restarted under load (its own server: the shared test server must stay up for the
// other files): while it is away every request gets a clear 503 with Retry-After, none hangs or
// gets a 500 with a stack trace, and the same server process serves normally once it is back.
describe('PostgreSQL restarted under load', () => {
  let postgres: ThrowawayPostgres
  let runtime: TestRuntime
  let replica: Replica

  beforeAll(async () => {
    postgres = await startThrowawayPostgres()
    runtime = await openTestRuntime({ backend: 'postgres', postgresUrl: postgres.url })
    replica = await startReplica({
      DATA_DIR: runtime.dataDir,
      DATABASE_URL: runtime.config.DATABASE_URL ?? '',
      FIXTURE_SCALE: String(runtime.config.FIXTURE_SCALE),
      DEV_SIGN_IN: 'true',
      LOG_LEVEL: 'silent',
    })
  })
  afterAll(async () => {
    await stopReplica(replica)
    await runtime?.dispose()
    await postgres?.stop()
  })

  it('answers 503 with Retry-After while the database is away, never hangs, and recovers by itself', async () => {
    const officer = await signInAs(replica, 'officer.moh')
    const views = (await (
      await replica.request('/api/query/views', { headers: officer })
    ).json()) as { data: { name: string }[] }
    const view = views.data[0]?.name
    expect(view).toBeDefined()
    // What officers do all day: search, open a dataset, check who they are, run a query.
    const mix: { path: string; init?: RequestInit }[] = [
      { path: '/api/search?q=population' },
      { path: '/api/datasets' },
      { path: '/api/auth/me' },
      { path: '/api/health' },
      {
        path: '/api/query',
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...officer },
          body: JSON.stringify({ sql: `SELECT count(*) FROM "${view}"`, format: 'json' }),
        },
      },
    ]
    const answers: Answer[] = []
    let stop = false
    // Two of the clients run queries too: one person may run two at once (QUERY_MAX_PER_USER).
    const client = async (n: number) => {
      const own = n < 2 ? mix : mix.filter((m) => m.path !== '/api/query')
      for (let i = n; !stop; i++) {
        const { path, init } = own[i % own.length] ?? { path: '/api/health' }
        const res = await replica.request(path, {
          ...init,
          headers: { ...officer, ...init?.headers },
          signal: AbortSignal.timeout(HANG_MS),
        })
        answers.push({
          path,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          body: await res.text(),
        })
      }
    }
    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n))
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const before = answers.length
    await postgres.restart(3_000)
    // Keep the load on until every kind of request has succeeded again since the database came
    // back: a condition, not a count or a fixed time, so a slow machine only takes longer.
    const upAgain = answers.length
    const recovered = () => {
      const succeeded = new Set(
        answers
          .slice(upAgain)
          .filter((a) => a.status === 200)
          .map((a) => a.path),
      )
      return mix.every((m) => succeeded.has(m.path))
    }
    const deadline = Date.now() + RECOVERY_MS
    while (!recovered() && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    stop = true
    // A hang would reject here (the client's timeout aborts the fetch and fails the test).
    await Promise.all(clients)

    expect(before).toBeGreaterThan(0)
    const refused = answers.filter((a) => a.status !== 200)
    // The outage was seen (otherwise this test proved nothing) …
    expect(refused.length).toBeGreaterThan(0)
    // … and every answer meanwhile was a 503 that says what happened and when to come back.
    for (const answer of refused) {
      expect({ path: answer.path, status: answer.status, body: answer.body }).toEqual({
        path: answer.path,
        status: 503,
        body: answer.body,
      })
      expect(answer.retryAfter).toMatch(/^\d+$/)
      const body = JSON.parse(answer.body) as {
        ok: boolean
        error: { code: string; message: string }
      }
      expect(body.error.code).toBe('unavailable')
      expect(body.error.message).toMatch(/database cannot be reached|try again/i)
      expect(answer.body).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/)
    }
    // The same process serves normally again, and the session signed in before still works.
    expect(replica.process.exitCode).toBeNull()
    expect(replica.process.signalCode).toBeNull()
    const me = await replica.request('/api/auth/me', { headers: officer })
    expect(me.status).toBe(200)
    expect(((await me.json()) as { data: { user: { username: string } } }).data.user.username).toBe(
      'officer.moh',
    )
    // Every kind of request, queries included, succeeded again without a restart.
    expect(recovered()).toBe(true)
  }, 240_000)
})
