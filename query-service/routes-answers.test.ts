import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC } from 'apache-arrow'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import { type Answer, useQueryApi } from './routes-test-kit.js'

// One platform for the file: the history and use counts at the end count the answers before them.
const { platform, post, query } = useQueryApi()
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-api-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the caller’s views and answers through the API', () => {
  it('lists the caller’s views with their columns and which are masked', async () => {
    const res = await platform.app.request('/api/query/views', {
      headers: platform.as['officer.moh'],
    })
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
    const other = await platform.app.request('/api/query/views', {
      headers: platform.as['officer.moe'],
    })
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
    const dataset = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
    const raw = join(
      platform.runtime.dataDir,
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
})

describe('extracts through the API', () => {
  it('streams extracts in CSV, Parquet and NDJSON with the same masking and row filter', async () => {
    const dataset = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
    const version = dataset?.currentVersion?.version ?? 1
    const raw = join(platform.runtime.dataDir, `tc/person-address-pa/v${version}.parquet`)
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
      const res = await platform.app.request(
        `/api/datasets/person-address-pa/versions/${version}/extract?format=${format}`,
        { headers: platform.as['officer.moh'] },
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
      await platform.app.request(
        `/api/datasets/person-address-pa/versions/${version}/extract?format=arrow`,
        {
          headers: platform.as['officer.moh'],
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
    const open = await platform.app.request(
      '/api/datasets/postal-geocode-reference/versions/1/extract',
      {
        headers: platform.as['officer.moe'],
      },
    )
    expect(open.status).toBe(200)
    await open.arrayBuffer()
    const refused = await platform.app.request(
      `/api/datasets/person-address-pa/versions/${version}/extract`,
      {
        headers: platform.as['officer.moe'],
      },
    )
    expect(refused.status).toBe(404)
    expect(((await refused.json()) as Answer<unknown>).error.message).toContain(
      'POST /api/requests',
    )
    // Without a grant, the de-identified sample is there at once.
    expect(dataset?.currentVersion?.sample?.status).toBe('published')
    const sample = await platform.app.request(
      `/api/datasets/person-address-pa/versions/${version}/sample`,
      {
        headers: platform.as['officer.moe'],
      },
    )
    expect(sample.status).toBe(200)
    const sampleFile = join(dir, 'sample.csv')
    await writeFile(sampleFile, Buffer.from(await sample.arrayBuffer()))
    const sampled = await truth.runAndReadAll(
      `SELECT count(*) FROM read_csv('${sampleFile}', header = true, all_varchar = true)`,
    )
    expect(Number(sampled.getRows()[0]?.[0])).toBeGreaterThan(0)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const audit = await platform.runtime.audit.list({ limit: 50 })
    expect(
      audit.filter((e) => e.action === 'dataset.download' && e.outcome === 'succeeded'),
    ).toHaveLength(6)
  })
})

describe('refused, cancelled and recorded queries through the API', () => {
  it('refuses hostile SQL with 400 and stops a runaway query at its limit', async () => {
    const refused = await query('officer.moh', { sql: "SELECT * FROM read_csv('/etc/passwd')" })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toMatchObject({ code: 'query_refused' })
    const other = await query('officer.moe', { sql: 'SELECT * FROM person_address_pa' })
    expect(other.status).toBe(400)
    // officer.moe's grants on it in the sharing history have ended; the sample is still theirs.
    expect(other.body.error.message).toMatch(
      /^Your access to Persons by residential planning area ended on .*: request it again to query it \(its sample is still yours: query person_address_pa_sample\)$/,
    )
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

    const history = await platform.app.request('/api/query/history', {
      headers: platform.as['officer.moh'],
    })
    const entries = (
      (await history.json()) as Answer<{ id: string; status: string; views: string[] }[]>
    ).data
    expect(entries.find((e) => e.id === id)?.status).toBe('cancelled')
    expect(
      entries.some((e) => e.status === 'succeeded' && e.views.includes('person_address_pa')),
    ).toBe(true)

    const audit = await platform.runtime.audit.list({ limit: 50 })
    expect(
      audit.find((e) => e.action === 'query.run' && e.outcome === 'succeeded')?.details,
    ).toMatchObject({
      views: ['person_address_pa'],
    })
    const stats = await sql<{ queries: string }>`select s.queries from dataset_stats s
      join datasets d on d.id = s.dataset_id where d.slug = 'person-address-pa'`.execute(
      platform.runtime.db,
    )
    expect(Number(stats.rows[0]?.queries)).toBeGreaterThanOrEqual(3)
  })
})
