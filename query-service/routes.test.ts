import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC } from 'apache-arrow'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import {
  appDepsOf,
  createApp,
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../testing/index.js'

interface Answer<T> {
  ok: boolean
  data: T
  error: { code: string; message: string }
}
type JsonResult = { id: string; columns: { name: string; type: string }[]; rows: unknown[][] }

describe('the query service through the API', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  let dir: string
  const as: Record<string, Record<string, string>> = {}
  const post = (path: string, who: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { ...as[who], 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const query = async <T = JsonResult>(who: string, body: unknown) => {
    const res = await post('/api/query', who, body)
    return { status: res.status, body: (await res.json()) as Answer<T> }
  }

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    dir = await mkdtemp(join(tmpdir(), 'query-api-'))
    for (const who of ['officer.moh', 'steward.dos', 'officer.moe'])
      as[who] = await signInAs(app, who)
    // officer.moh is granted three columns of the fused persons, for men only.
    const created = await post('/api/requests', 'officer.moh', {
      dataset: 'person-address-pa',
      columns: ['person_key', 'sex', 'planning_area_code'],
      purpose: 'Plan polyclinic capacity by planning area and sex',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    const { id } = ((await created.json()) as Answer<{ id: string }>).data
    await post(`/api/requests/${id}/approve`, 'steward.dos', {
      rowFilter: [{ column: 'sex', op: 'in', values: ['M'] }],
    })
  })
  afterAll(async () => {
    await runtime.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('lists the caller’s views with their columns and which are masked', async () => {
    const res = await app.request('/api/query/views', { headers: as['officer.moh'] })
    const views = (
      (await res.json()) as Answer<{ name: string; columns: { name: string; masked: boolean }[] }[]>
    ).data
    expect(views.map((v) => v.name)).toEqual(
      expect.arrayContaining(['person_address_pa', 'postal_geocode_reference']),
    )
    expect(views.find((v) => v.name === 'person_address_pa')?.columns).toEqual([
      expect.objectContaining({ name: 'person_key', masked: true }),
      expect.objectContaining({ name: 'sex', masked: false }),
      expect.objectContaining({ name: 'planning_area_code', masked: false }),
    ])
    // Another officer has no grant: no view of the full persons.
    const other = await app.request('/api/query/views', { headers: as['officer.moe'] })
    const theirs = (
      (await other.json()) as Answer<
        { name: string; columns: { name: string; masked: boolean }[] }[]
      >
    ).data
    expect(theirs.map((v) => v.name)).not.toContain('person_address_pa')
    // The de-identified sample instead, its direct identifiers marked as masked.
    expect(
      theirs
        .find((v) => v.name === 'person_address_pa_sample')
        ?.columns.find((c) => c.name === 'person_key'),
    ).toMatchObject({ masked: true })
  })

  it('holds masking, columns and the row filter in JSON, CSV and NDJSON alike', async () => {
    const dataset = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    const raw = join(
      runtime.dataDir,
      `tc/person-address-pa/v${dataset?.currentVersion ? dataset.versions[0]?.version : 1}.parquet`,
    )
    const truth = await (await DuckDBInstance.create(':memory:')).connect()
    const men = Number(
      (
        await truth.runAndReadAll(`SELECT count(*) FROM read_parquet('${raw}') WHERE sex = 'M'`)
      ).getRows()[0]?.[0],
    )
    expect(men).toBeGreaterThan(0)

    const json = await query('officer.moh', {
      sql: 'SELECT * FROM person_address_pa',
      format: 'json',
    })
    expect(json.status).toBe(200)
    expect(json.body.data.columns.map((c) => c.name)).toEqual([
      'person_key',
      'sex',
      'planning_area_code',
    ])
    expect(json.body.data.rows).toHaveLength(men)
    expect(
      json.body.data.rows.every((r) => r[1] === 'M' && String(r[0]).startsWith('masked-')),
    ).toBe(true)

    for (const format of ['csv', 'ndjson', 'parquet'] as const) {
      const res = await post('/api/query', 'officer.moh', {
        sql: 'SELECT * FROM person_address_pa',
        format,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain(
        {
          csv: 'text/csv',
          ndjson: 'application/x-ndjson',
          parquet: 'application/vnd.apache.parquet',
        }[format],
      )
      expect(res.headers.get('x-query-id')).toMatch(/^q_/)
      const file = join(dir, `out.${format}`)
      await writeFile(file, Buffer.from(await res.arrayBuffer()))
      const read = {
        csv: `read_csv('${file}', header = true, all_varchar = true)`,
        ndjson: `read_json('${file}', format = 'newline_delimited')`,
        parquet: `read_parquet('${file}')`,
      }[format]
      const back = await truth.runAndReadAll(
        `SELECT count(*), count(*) FILTER (WHERE sex <> 'M'),
          count(*) FILTER (WHERE NOT starts_with(person_key, 'masked-')) FROM ${read}`,
      )
      const [count, others, clear] = back.getRows()[0] ?? []
      expect([Number(count), Number(others), Number(clear)], format).toEqual([men, 0, 0])
      const header = (await truth.runAndReadAll(`DESCRIBE SELECT * FROM ${read}`))
        .getRows()
        .map((r) => r[0])
      expect(header, format).toEqual(['person_key', 'sex', 'planning_area_code'])
    }
  })

  it('streams extracts in CSV, Parquet and NDJSON with the same masking and row filter', async () => {
    const dataset = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    const version = dataset?.currentVersion?.version ?? 1
    const raw = join(runtime.dataDir, `tc/person-address-pa/v${version}.parquet`)
    const truth = await (await DuckDBInstance.create(':memory:')).connect()
    const men = Number(
      (
        await truth.runAndReadAll(`SELECT count(*) FROM read_parquet('${raw}') WHERE sex = 'M'`)
      ).getRows()[0]?.[0],
    )
    const readers = {
      csv: (f: string) => `read_csv('${f}', header = true, all_varchar = true)`,
      parquet: (f: string) => `read_parquet('${f}')`,
      json: (f: string) => `read_json('${f}', format = 'newline_delimited')`,
    }
    for (const format of ['csv', 'parquet', 'json'] as const) {
      const res = await app.request(
        `/api/datasets/person-address-pa/versions/${version}/extract?format=${format}`,
        { headers: as['officer.moh'] },
      )
      expect(res.status, format).toBe(200)
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="person-address-pa-v${version}.${format === 'json' ? 'ndjson' : format}"`,
      )
      const file = join(dir, `extract.${format}`)
      await writeFile(file, Buffer.from(await res.arrayBuffer()))
      const back = await truth.runAndReadAll(
        `SELECT count(*), count(*) FILTER (WHERE sex <> 'M'),
          count(*) FILTER (WHERE NOT starts_with(person_key, 'masked-')) FROM ${readers[format](file)}`,
      )
      expect(back.getRows()[0]?.map(Number), format).toEqual([men, 0, 0])
      const columns = (await truth.runAndReadAll(`DESCRIBE SELECT * FROM ${readers[format](file)}`))
        .getRows()
        .map((r) => r[0])
      expect(columns, format).toEqual(['person_key', 'sex', 'planning_area_code'])
    }
    // Arrow, from the query endpoint and the extract alike, read back with apache-arrow.
    for (const res of [
      await post('/api/query', 'officer.moh', {
        sql: 'SELECT * FROM person_address_pa',
        format: 'arrow',
      }),
      await app.request(
        `/api/datasets/person-address-pa/versions/${version}/extract?format=arrow`,
        {
          headers: as['officer.moh'],
        },
      ),
    ]) {
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream')
      const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()))
      expect(table.numRows).toBe(men)
      expect(table.schema.fields.map((f) => f.name)).toEqual([
        'person_key',
        'sex',
        'planning_area_code',
      ])
      const keys = table.getChild('person_key')?.toArray() as string[]
      const sexes = table.getChild('sex')?.toArray() as string[]
      expect(keys.every((k) => k.startsWith('masked-'))).toBe(true)
      expect(new Set(sexes)).toEqual(new Set(['M']))
    }
    // Official (Open) data in full for anyone signed in; restricted data only under a grant.
    const open = await app.request('/api/datasets/postal-geocode-reference/versions/1/extract', {
      headers: as['officer.moe'],
    })
    expect(open.status).toBe(200)
    await open.arrayBuffer()
    const refused = await app.request(
      `/api/datasets/person-address-pa/versions/${version}/extract`,
      {
        headers: as['officer.moe'],
      },
    )
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as Answer<unknown>).error.message).toContain(
      'POST /api/requests',
    )
    // Without a grant, the de-identified sample is there at once.
    expect(dataset?.currentVersion?.sample?.status).toBe('published')
    const sample = await app.request(`/api/datasets/person-address-pa/versions/${version}/sample`, {
      headers: as['officer.moe'],
    })
    expect(sample.status).toBe(200)
    const sampleFile = join(dir, 'sample.csv')
    await writeFile(sampleFile, Buffer.from(await sample.arrayBuffer()))
    const sampled = await truth.runAndReadAll(
      `SELECT count(*) FROM read_csv('${sampleFile}', header = true, all_varchar = true)`,
    )
    expect(Number(sampled.getRows()[0]?.[0])).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const audit = await runtime.audit.list({ limit: 50 })
    expect(
      audit.filter((e) => e.action === 'dataset.download' && e.outcome === 'succeeded'),
    ).toHaveLength(6)
  })

  it('refuses hostile SQL with 400 and stops a runaway query at its limit', async () => {
    const refused = await query('officer.moh', { sql: "SELECT * FROM read_csv('/etc/passwd')" })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'query_refused' })
    const other = await query('officer.moe', { sql: 'SELECT * FROM person_address_pa' })
    expect(other.status).toBe(400)
    expect(other.body.error.message).toContain("'person_address_pa' is not one of them")
  })

  it('cancels a running query, keeps a history, audits and counts use', async () => {
    const id = 'q_cancel-me-0001'
    const runaway = query('officer.moh', {
      id,
      sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
    })
    let cancelled: Response | undefined
    for (let i = 0; i < 50 && cancelled?.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      cancelled = await post(`/api/query/${id}/cancel`, 'officer.moh', {})
    }
    expect(cancelled?.status).toBe(200)
    expect((await runaway).body.error.message).toBe('The query was cancelled')

    const history = await app.request('/api/query/history', { headers: as['officer.moh'] })
    const entries = (
      (await history.json()) as Answer<{ id: string; status: string; views: string[] }[]>
    ).data
    expect(entries.find((e) => e.id === id)?.status).toBe('cancelled')
    expect(
      entries.some((e) => e.status === 'succeeded' && e.views.includes('person_address_pa')),
    ).toBe(true)

    const audit = await runtime.audit.list({ limit: 50 })
    expect(
      audit.find((e) => e.action === 'query.run' && e.outcome === 'succeeded')?.details,
    ).toMatchObject({
      views: ['person_address_pa'],
    })
    const stats = await sql<{ queries: string }>`select s.queries from dataset_stats s
      join datasets d on d.id = s.dataset_id where d.slug = 'person-address-pa'`.execute(runtime.db)
    expect(Number(stats.rows[0]?.queries)).toBeGreaterThanOrEqual(3)
  })

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
        await runtime.db
          .selectFrom('query_history')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst()
      )?.status
    for (let i = 0; i < 100 && (await status()) !== 'running'; i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    // Past its gate and into DuckDB (which takes milliseconds; a second is a wide margin).
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const busy = runtime.query.workers().pids
    for (const pid of busy) process.kill(pid, 'SIGKILL')
    const answer = await running
    expect(answer.status).toBe(422)
    expect(answer.body.error.message).toMatch(
      /^The query's process was killed \(SIGKILL\) from outside it/,
    )
    const row = await runtime.db
      .selectFrom('query_history')
      .select(['status', 'error'])
      .where('id', '=', id)
      .executeTakeFirst()
    expect(row).toEqual({ status: 'failed', error: answer.body.error.message })
    const audit = await runtime.audit.list({ limit: 20 })
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
    const unchecked = createApp(appDepsOf(runtime))
    const send = (format = 'json') =>
      unchecked.request('/api/query', {
        method: 'POST',
        headers: { ...as['officer.moe'], 'content-type': 'application/json' },
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
    const grants = await app.request('/api/grants', { headers: as['steward.dos'] })
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
    await runtime.query.sweepProjections()
    const rest = (async () => {
      for (;;) if ((await reader?.read())?.done) return 'ended quietly'
    })()
    await expect(rest).rejects.toThrow(/A grant this answer reads from has ended/)
  })
})
