import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  call,
  openTestRuntime,
  type Replica,
  signInAs,
  startReplica,
  stopReplica,
  type TestRuntime,
} from '../testing/index.js'

/** Resident memory of a process in MB, or undefined once it has ended. */
function rssMb(pid: number): number | undefined {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
  } catch {
    return undefined
  }
}

/** The processes whose parent is `pid` (a server's query workers). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return (
          readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(pid)
        )
      } catch {
        return false
      }
    })
    .map(Number)
}

const alive = (pid: number) => rssMb(pid) !== undefined

// A server process as operators run it: what a caller's query can cost it is bounded.

/**
 * The replica's query deadline: far enough that the limits these tests are about (memory, bytes)
 * come first on a busy machine too, near enough to bound a runaway.
 */
const DEADLINE_SECONDS = 30
describe('a replica under hostile queries', () => {
  let runtime: TestRuntime
  let replica: Replica
  const env = () => ({
    DATA_DIR: runtime.dataDir,
    DATABASE_URL: runtime.config.DATABASE_URL ?? '',
    FIXTURE_SCALE: String(runtime.config.FIXTURE_SCALE),
    DEV_SIGN_IN: 'true',
    LOG_LEVEL: 'warn',
    QUERY_TIMEOUT_SECONDS: String(DEADLINE_SECONDS),
  })

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'postgres', postgresUrl: inject('postgresUrl') })
    replica = await startReplica(env())
  })
  afterAll(async () => {
    await stopReplica(replica)
    await runtime?.dispose()
  })

  it('ends list blow-ups within the deadline, its own memory flat and health answering', async () => {
    const pid = replica.process.pid ?? 0
    const callers = await Promise.all(
      ['officer.moe', 'officer.moh'].map((who) => signInAs(replica, who)),
    )
    // Warm: the workers are started and the server has answered a query.
    await call(replica, 'POST', '/api/query', callers[0] ?? {}, { sql: 'SELECT 1' })
    const before = rssMb(pid) ?? 0
    let peak = before
    let slowestHealth = 0
    let watching = true
    const watch = (async () => {
      while (watching) {
        const started = performance.now()
        const res = await replica.request('/api/health')
        await res.arrayBuffer()
        slowestHealth = Math.max(slowestHealth, performance.now() - started)
        peak = Math.max(peak, rssMb(pid) ?? 0)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const started = performance.now()
    const answers = await Promise.all(
      callers.map((who) =>
        call(replica, 'POST', '/api/query', who, {
          sql: 'SELECT length(list_concat(generate_series(1, 100000000), generate_series(1, 100000000)))',
        }),
      ),
    )
    const seconds = (performance.now() - started) / 1000
    watching = false
    await watch
    // Stopped by the process's memory cap or, building slowly on a busy machine, its deadline.
    for (const answer of answers) {
      expect(answer.status).toBe(422)
      expect(answer.message).toMatch(/memory|time limit/)
    }
    // Within the deadline and the 2 s a killed worker may take, with room for a machine busy
    // with other work: a bound on runaway, not a measure of speed.
    expect(seconds).toBeLessThan(DEADLINE_SECONDS + 20)
    expect(peak - before).toBeLessThan(200)
    expect(slowestHealth).toBeLessThan(1_000)
  })

  it('refuses a JSON answer past its byte limit, naming the limit, and audits it', {
    timeout: 180_000,
  }, async () => {
    const officer = await signInAs(replica, 'officer.moe')
    const limit =
      'The answer is larger than the 16 MB a JSON answer may hold: select fewer rows or columns, or ask for CSV, Parquet or Arrow, which stream'
    // A thousand rows of 100 kB each, however they are asked for: counted as they are written.
    for (const [id, sql] of [
      [
        'q_too-large-0002',
        "SELECT repeat('x', 100000) AS s FROM person_address_pa_sample LIMIT 1000",
      ],
      ['q_too-large-0001', "SELECT repeat('x', 100000) AS s FROM person_address_pa_sample"],
    ]) {
      const answer = await call(replica, 'POST', '/api/query', officer, { id, sql })
      expect(answer.status, sql).toBe(422)
      expect(answer.message, sql).toBe(limit)
    }
    // A thousand rows of 1 MB each: DuckDB makes them 2,048 at a time, so they may meet the
    // memory limits (DuckDB's or the process's) before the byte count, and the refusal then
    // names both limits.
    for (const sql of [
      "SELECT repeat('x', 1000000) AS s FROM person_address_pa_sample LIMIT 1000",
      'SELECT repeat(sex, 1000000) AS s FROM person_address_pa_sample LIMIT 1000',
    ]) {
      const answer = await call(replica, 'POST', '/api/query', officer, { sql })
      expect(answer.status, sql).toBe(422)
      // Whichever limit is met first (the byte count, DuckDB's memory, or the process's cap,
      // which stops the worker), the refusal names the JSON answer's limit.
      expect(answer.message, sql).toMatch(
        /^The answer is larger than the 16 MB a JSON answer may hold|(memory|a query may use).*a JSON answer may hold at most 16 MB anyway/,
      )
    }
    const answer = { message: limit }
    const auditor = await signInAs(replica, 'auditor')
    const trail = await call<
      { action: string; subjectId: string; outcome: string; details: Record<string, unknown> }[]
    >(replica, 'GET', '/api/audit?limit=50', auditor)
    const entry = trail.data.find(
      (e) => e.action === 'query.run' && e.subjectId === 'q_too-large-0001',
    )
    expect(entry).toMatchObject({
      outcome: 'failed',
      details: { views: ['person_address_pa_sample'], error: answer.message },
    })
    expect((entry?.details.datasets as string[] | undefined)?.length).toBe(1)
  })

  it('leaves no worker behind when the server is killed', async () => {
    const officer = await signInAs(replica, 'officer.moh')
    await call(replica, 'POST', '/api/query', officer, { sql: 'SELECT 1' })
    const workers = childrenOf(replica.process.pid ?? 0)
    expect(workers.length).toBeGreaterThan(0)
    replica.process.kill('SIGKILL')
    const deadline = Date.now() + 5_000
    while (workers.some(alive) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(workers.filter(alive)).toEqual([])
    // …and stops them when it is stopped as operators do.
    replica = await startReplica(env())
    await call(replica, 'POST', '/api/query', officer, { sql: 'SELECT 1' })
    const next = childrenOf(replica.process.pid ?? 0)
    expect(next.length).toBeGreaterThan(0)
    await stopReplica(replica)
    expect(next.filter(alive)).toEqual([])
  })
})
