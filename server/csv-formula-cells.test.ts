import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC } from 'apache-arrow'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetRegistration } from '../catalog/index.js'
import { sha256File } from '../core/index.js'
import { KPI_DEFINITIONS, type KpiDefinition } from '../kpi/index.js'
import { useTestPlatform } from '../testing/index.js'

// Issue 21, item 4: a source feed's `=HYPERLINK(…)` reached every officer's CSV download. Every
// CSV the API writes now neutralises formula cells; numbers, and other formats, are untouched.

/** The rows of the feed: text cells a spreadsheet would run, harmless text, negative numbers. */
const NOTES = [
  '=HYPERLINK("http://x","y")',
  '+1',
  '-1+2',
  '@SUM(A1)',
  '\tcmd',
  '\rcmd',
  'Tan, Ah Kow',
  'plain text',
]
const AMOUNTS = [-5, 12, -1, 0, 7, -300, 42, -2]

/** The CSV every route answers for them, byte for byte. */
const EXPECTED_CSV = [
  'id,note,amount,day,flag',
  `1,"'=HYPERLINK(""http://x"",""y"")",-5,2024-01-02,false`,
  `2,"'+1",12,2024-01-03,true`,
  `3,"'-1+2",-1,2024-01-04,false`,
  `4,"'@SUM(A1)",0,2024-01-05,true`,
  `5,"'\tcmd",7,2024-01-06,false`,
  `6,"'\rcmd",-300,2024-01-07,true`,
  '7,"Tan, Ah Kow",42,2024-01-08,false',
  '8,plain text,-2,2024-01-09,true',
  '',
].join('\n')

const ORIGINAL = NOTES.map((note, i) => ({ id: i + 1, note, amount: AMOUNTS[i] }))

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moh'] })
let dir: string
let duck: Awaited<ReturnType<DuckDBInstance['connect']>>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-formula-cells-'))
  duck = await (await DuckDBInstance.create(':memory:')).connect()
  expect(await publish('formula-cells-open', 'official-open')).toBe(1)
  expect(await publish('formula-cells-closed', 'official-closed')).toBe(1)
})
afterAll(async () => {
  duck?.closeSync()
  await rm(dir, { recursive: true, force: true })
})

const get = (path: string) => platform.app.request(path, { headers: platform.as['officer.moh'] })
const query = (sql: string, format: string) =>
  platform.app.request('/api/query', {
    method: 'POST',
    headers: { ...platform.as['officer.moh'], 'content-type': 'application/json' },
    body: JSON.stringify({ sql, format }),
  })
/** The rows of a Parquet or NDJSON answer, read back by DuckDB. */
const readBack = async (res: Response, reader: (file: string) => string) => {
  expect(res.status).toBe(200)
  const file = join(dir, `answer-${Math.random()}`)
  await writeFile(file, Buffer.from(await res.arrayBuffer()))
  const rows = await duck.runAndReadAll(
    `SELECT id::INTEGER, note, amount::INTEGER FROM ${reader(file)} ORDER BY id`,
  )
  return rows.getRows().map(([id, note, amount]) => ({ id, note, amount }))
}

/** Publishes a dataset whose version (and sample) holds the rows, as a Trusted Centre would. */
async function publish(slug: string, security: 'official-open' | 'official-closed') {
  const registration: DatasetRegistration = {
    slug,
    title: `Formula cells (${security})`,
    description: 'Text cells a spreadsheet would read as formulas',
    agency: 'SLA',
    trustedCentre: 'TC-SLA',
    sourceSsots: ['sla'],
    classification: { security, sensitivity: 'non-sensitive' },
    updateFrequency: 'weekly',
    columns: ['id', 'note', 'amount', 'day', 'flag'].map((name) => ({
      name,
      description: name,
      personalData: 'none' as const,
    })),
  }
  const staged = join(dir, `${slug}.parquet`)
  const values = ORIGINAL.map(
    (r, i) =>
      `(${r.id}, '${r.note.replaceAll("'", "''")}', ${r.amount}, DATE '2024-01-02' + ${i}, ${i % 2 === 1})`,
  )
  await duck.run(
    `COPY (SELECT id::INTEGER AS id, note, amount::INTEGER AS amount, day, flag
       FROM (VALUES ${values.join(', ')}) v(id, note, amount, day, flag))
     TO '${staged}' (FORMAT parquet)`,
  )
  const placed = async (path: string) => {
    await mkdir(dirname(join(platform.runtime.dataDir, path)), { recursive: true })
    await duck.run(
      `COPY (FROM '${staged}') TO '${join(platform.runtime.dataDir, path)}' (FORMAT parquet)`,
    )
    return path
  }
  const published = await platform.runtime.catalog.publishVersion(
    registration,
    {
      rowCount: ORIGINAL.length,
      byteSize: (await stat(staged)).size,
      contentSha256: await sha256File(staged),
      schema: [
        { name: 'id', type: 'INTEGER' },
        { name: 'note', type: 'VARCHAR' },
        { name: 'amount', type: 'INTEGER' },
        { name: 'day', type: 'DATE' },
        { name: 'flag', type: 'BOOLEAN' },
      ],
    },
    (version) => placed(join('tc', slug, `v${version}.parquet`)),
  )
  if (security !== 'official-open')
    await platform.runtime.catalog.recordSample(published.datasetId, published.version, {
      status: 'published',
      path: await placed(join('samples', slug, `v${published.version}.parquet`)),
      rowCount: ORIGINAL.length,
      k: 1,
      details: {},
    })
  return published.version
}

describe('formula cells in every CSV the API writes', () => {
  it('neutralises them in a full extract as CSV; Parquet, NDJSON and Arrow keep the original', async () => {
    const extract = (format: string) =>
      get(`/api/datasets/formula-cells-open/versions/1/extract?format=${format}`)
    const csv = await extract('csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(await csv.text()).toBe(EXPECTED_CSV)

    expect(await readBack(await extract('parquet'), (f) => `read_parquet('${f}')`)).toEqual(
      ORIGINAL,
    )
    expect(
      await readBack(
        await extract('json'),
        (f) => `read_json('${f}', format = 'newline_delimited')`,
      ),
    ).toEqual(ORIGINAL)
    const arrow = tableFromIPC(new Uint8Array(await (await extract('arrow')).arrayBuffer()))
    expect(arrow.toArray().map((r) => ({ id: r.id, note: r.note, amount: r.amount }))).toEqual(
      ORIGINAL,
    )
  })

  it('neutralises them in a sample as CSV and in the CSV of its zip', async () => {
    const sample = (format: string) =>
      get(`/api/datasets/formula-cells-closed/versions/1/sample?format=${format}`)
    const csv = await sample('csv')
    expect(csv.status).toBe(200)
    expect(await csv.text()).toBe(EXPECTED_CSV)
    const zip = await sample('zip')
    expect(zip.status).toBe(200)
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()))
    expect(new TextDecoder().decode(files['formula-cells-closed-v1-sample.csv'])).toBe(EXPECTED_CSV)
    expect(await readBack(await sample('parquet'), (f) => `read_parquet('${f}')`)).toEqual(ORIGINAL)
  })

  it('neutralises them in query answers as CSV; JSON answers keep the original', async () => {
    for (const view of ['formula_cells_open', 'formula_cells_closed_sample']) {
      const csv = await query(`SELECT * FROM ${view} ORDER BY id`, 'csv')
      expect(csv.status, view).toBe(200)
      expect(await csv.text(), view).toBe(EXPECTED_CSV)
    }
    const json = await query('SELECT id, note, amount FROM formula_cells_open ORDER BY id', 'json')
    expect(((await json.json()) as { data: { rows: unknown[][] } }).data.rows).toEqual(
      ORIGINAL.map((r) => [r.id, r.note, r.amount]),
    )
    // Text the caller makes is text too, and so are the column names; numbers stay numbers.
    const made = await query(
      `SELECT '=1+2' AS "=sum", -5 AS n, note || '' AS copy FROM formula_cells_open WHERE id = 3`,
      'csv',
    )
    expect(await made.text()).toBe(`"'=sum",n,copy\n"'=1+2",-5,"'-1+2"\n`)
    // Every type but numbers, dates, times, booleans and UUIDs is text: a UNION, a VARIANT, JSON
    // (VARCHAR under an alias, which once failed the answer), however the caller wraps the cell.
    const wrapped = await query(
      `SELECT union_value(t := note) AS u, note::VARIANT AS v, to_json(note) AS j,
         '"=x"'::JSON AS k, '-1'::JSON AS m FROM formula_cells_open WHERE id = 1`,
      'csv',
    )
    expect(wrapped.status).toBe(200)
    expect(await wrapped.text()).toBe(
      `u,v,j,k,m\n"'=HYPERLINK(""http://x"",""y"")","'=HYPERLINK(""http://x"",""y"")","""=HYPERLINK(\\""http://x\\"",\\""y\\"")""","""=x""","'-1"\n`,
    )
  })

  it('neutralises them in the KPI spreadsheet, and leaves its numbers alone', async () => {
    const json = (await (await get('/api/kpis')).json()) as {
      data: { kpis: { number: number; trend: { value: number }[] }[] }
    }
    const first = KPI_DEFINITIONS[0] as KpiDefinition
    const wording = first.wording
    first.wording = '=HYPERLINK("http://x","y")'
    try {
      const csv = await get('/api/kpis?format=csv')
      expect(csv.status).toBe(200)
      const lines = (await csv.text()).trim().split('\r\n')
      const ofFirst = lines.filter((l) => l.startsWith(`${first.number},`))
      expect(ofFirst.length).toBeGreaterThan(0)
      for (const line of ofFirst) expect(line).toContain(`,"'=HYPERLINK(""http://x"",""y"")",`)
      // The values column holds the JSON trend's numbers as they are.
      const values = ofFirst.map((l) => Number(l.split(',').at(-6)))
      expect(values).toEqual(
        json.data.kpis
          .find((k) => k.number === first.number)
          ?.trend.map((t) => Number(t.value.toFixed(4))),
      )
    } finally {
      first.wording = wording
    }
  })
})
