import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../identity/index.js'
import { useTestPlatform } from '../testing/index.js'

interface Answer {
  ok: boolean
  data: { id: string; columns: { name: string }[]; rows: unknown[][]; views: string[] }
  error: { code: string; message: string }
}

// Hostile SQL through the API, as an officer holding only samples and as a grantee holding three
// columns of the fused persons for men only. Every answer must be a refusal or data inside what
// the caller holds; none may carry a file path, a key or an identifier in clear; every read is
// audited naming its dataset.
const platform = useTestPlatform({
  backend: 'pglite',
  // Runaway queries meet their time limit soon.
  env: { QUERY_TIMEOUT_SECONDS: '2' },
  signIn: ['officer.moh', 'officer.moe', 'steward.dos'],
})
let raw: string
const secrets: string[] = []
const rawKeys = new Set<string>()
let men = 0

const query = async (who: 'officer.moh' | 'officer.moe', sql: string, format = 'json') => {
  const res = await platform.app.request('/api/query', {
    method: 'POST',
    headers: { ...platform.as[who], 'content-type': 'application/json' },
    body: JSON.stringify({ sql, format }),
  })
  return { status: res.status, text: await res.text() }
}

beforeAll(async () => {
  const created = await platform.app.request('/api/requests', {
    method: 'POST',
    headers: { ...platform.as['officer.moh'], 'content-type': 'application/json' },
    body: JSON.stringify({
      dataset: 'person-address-pa',
      columns: ['person_key', 'sex', 'planning_area_code'],
      purpose: 'Plan polyclinic capacity by planning area and sex',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
      project: { name: 'Polyclinic capacity' },
    }),
  })
  const { id } = ((await created.json()) as { data: { id: string } }).data
  const approved = await platform.app.request(`/api/requests/${id}/approve`, {
    method: 'POST',
    headers: { ...platform.as['steward.dos'], 'content-type': 'application/json' },
    body: JSON.stringify({ rowFilter: [{ column: 'sex', op: 'in', values: ['M'] }] }),
  })
  expect(approved.status).toBe(200)
  const dataset = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
  raw = join(
    platform.runtime.dataDir,
    `tc/person-address-pa/v${dataset?.currentVersion?.version ?? 1}.parquet`,
  )
  const truth = await (await DuckDBInstance.create(':memory:')).connect()
  const keys = await truth.runAndReadAll(`SELECT person_key, sex FROM '${raw}'`)
  for (const [key, sex] of keys.getRows()) {
    rawKeys.add(String(key))
    if (sex === 'M') men++
  }
  truth.closeSync()
  for (const scope of [
    'person',
    'sample',
    'sample:person-address-pa/v1',
    'project:polyclinic capacity',
  ] as const) {
    const key = platform.runtime.pseudonyms.keyOf(scope)
    secrets.push(key.toString('hex'), key.toString('base64'))
  }
  secrets.push(
    (await readFile(join(platform.runtime.dataDir, 'secrets/pseudonym-key'), 'utf8')).trim(),
    platform.runtime.dataDir,
    // Paths recorded while the data was loaded are under the directory it was copied from.
    ...(platform.runtime.template ? [platform.runtime.template] : []),
  )
})

/**
 * Whatever the answer, nothing in it that the caller may not see. A refusal may quote the
 * caller's own text, paths they wrote included: those are taken out first.
 */
const expectNothingForbidden = (answer: string, sql: string) => {
  let text = answer
  for (const path of sql.match(/\/[^\s'"()]+/g) ?? []) text = text.replaceAll(path, '<yours>')
  for (const secret of secrets) expect(text, sql).not.toContain(secret)
  expect(text, sql).not.toMatch(/\/tmp\/|\.parquet|projections\/|samples\/|tc\/person/)
  expect(text, sql).not.toMatch(/\b[STFGM]\d{7}[A-Z]\b/)
  for (const key of text.match(/\b[0-9a-f]{32}\b/g) ?? []) expect(rawKeys.has(key), sql).toBe(false)
}

const hostile = () => [
  // The CTE-scope class: a name defined in one scope and used outside it.
  'SELECT * FROM (WITH duckdb_views AS (SELECT 1) SELECT 1) t, duckdb_views',
  'SELECT sql FROM (WITH duckdb_views AS (SELECT 1 AS sql) SELECT * FROM duckdb_views) t UNION ALL SELECT sql FROM duckdb_views',
  `SELECT * FROM '${raw}' WHERE EXISTS (WITH "${raw}" AS (SELECT 1) SELECT 1 FROM "${raw}")`,
  `SELECT * FROM "${raw}", (WITH "${raw}" AS (SELECT 1) SELECT * FROM "${raw}") t`,
  'SELECT name, value FROM pg_settings WHERE EXISTS (WITH pg_settings AS (SELECT 1) SELECT * FROM pg_settings)',
  'SELECT * FROM sqlite_master, (WITH sqlite_master AS (SELECT 1) SELECT 1) t',
  'WITH a AS (SELECT * FROM (WITH duckdb_settings AS (SELECT 1) SELECT 1) x) SELECT * FROM duckdb_settings, a',
  'SELECT (SELECT count(*) FROM (WITH duckdb_tables AS (SELECT 1) SELECT 1) t), * FROM duckdb_tables',
  'WITH b AS (SELECT * FROM duckdb_views), duckdb_views AS (SELECT 1) SELECT * FROM b',
  'WITH duckdb_views AS (SELECT * FROM duckdb_views) SELECT * FROM duckdb_views',
  // Files, by name, by function, by quoting.
  `SELECT * FROM read_parquet('${raw}')`,
  `SELECT * FROM '${raw}'`,
  `SELECT * FROM "${raw}"`,
  `SELECT * FROM parquet_scan('${raw}')`,
  `SELECT * FROM glob('${platform.runtime.dataDir}/**')`,
  `SELECT * FROM read_text('${join(platform.runtime.dataDir, 'secrets/pseudonym-key')}')`,
  "SELECT * FROM read_csv('/etc/passwd')",
  `SELECT * FROM parquet_metadata('${raw}')`,
  `ATTACH '${raw}' AS r`,
  `COPY (SELECT 1) TO '${join(platform.runtime.dataDir, 'x.csv')}'`,
  // The engine's catalog, settings and variables.
  "SELECT current_setting('allowed_paths')",
  'SELECT * FROM duckdb_settings()',
  'SELECT sql FROM duckdb_views()',
  'SELECT * FROM duckdb_views',
  'SELECT * FROM information_schema.tables',
  'SELECT * FROM pg_catalog.pg_views',
  'SELECT * FROM system.main.duckdb_settings',
  'SELECT * FROM "main"."duckdb_settings"',
  'SELECT * FROM temp.main.person_address_pa_sample',
  "SELECT getvariable('projection_key_ipad')",
  'SELECT * FROM duckdb_variables()',
  "SELECT json_serialize_plan('SELECT * FROM person_address_pa_sample')",
  "SELECT * FROM query('SELECT * FROM duckdb_settings()')",
  "SELECT * FROM query_table('person_address_pa')",
  'SELECT stats(person_key) FROM person_address_pa_sample',
  'SELECT pg_get_viewdef(1)',
  'SELECT * FROM person_address_pa_sample t, LATERAL (SELECT * FROM duckdb_databases()) d',
  // Statements that are not one SELECT.
  'PRAGMA database_list',
  'SET threads = 8',
  'DESCRIBE person_address_pa_sample',
  'SELECT 1; SELECT * FROM duckdb_settings()',
  'CALL pragma_version()',
  'DETACH memory',
  'CREATE TABLE t AS SELECT * FROM person_address_pa_sample',
  "INSTALL httpfs; LOAD httpfs; SELECT * FROM 'https://example.org/x.parquet'",
  // Blow-ups: a limit, never the replica.
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
  'SELECT length(list_concat(generate_series(1, 100000000), generate_series(1, 100000000)))',
]

describe('hostile queries through the API', () => {
  it('refuses or answers within what an officer holding only samples may see', async () => {
    for (const sql of [
      ...hostile(),
      'SELECT * FROM person_address_pa',
      'SELECT person_key FROM person_address_pa_sample UNION ALL SELECT person_key FROM person_address_pa',
    ]) {
      const { status, text } = await query('officer.moe', sql)
      expect([400, 422], `${sql} → ${status} ${text}`).toContain(status)
      expectNothingForbidden(text, sql)
    }
  })

  it('refuses or answers within the grant for a grantee of three columns and one sex', async () => {
    for (const sql of hostile()) {
      const { status, text } = await query('officer.moh', sql)
      expect([400, 422], `${sql} → ${status} ${text}`).toContain(status)
      expectNothingForbidden(text, sql)
    }
    // What the grant shows, however it is asked for: three columns, men only, keys masked.
    const asked = [
      'SELECT * FROM person_address_pa',
      'SELECT * FROM "PERSON_ADDRESS_PA"',
      'SELECT * FROM main.person_address_pa',
      'SELECT * FROM memory.main.person_address_pa',
      'WITH duckdb_views AS (SELECT * FROM person_address_pa) SELECT * FROM duckdb_views',
      'SELECT * FROM (SELECT * FROM person_address_pa) UNION ALL SELECT * FROM person_address_pa WHERE false',
    ]
    for (const sql of asked) {
      const { status, text } = await query('officer.moh', sql)
      expect(status, `${sql} → ${text}`).toBe(200)
      expectNothingForbidden(text, sql)
      const answer = JSON.parse(text) as Answer
      expect(
        answer.data.columns.map((c) => c.name),
        sql,
      ).toEqual(['person_key', 'sex', 'planning_area_code'])
      expect(answer.data.rows.length, sql).toBe(Math.min(men, 10_000))
      expect(
        answer.data.rows.every((r) => r[1] === 'M' && /^masked-[0-9a-f]{16}$/.test(String(r[0]))),
        sql,
      ).toBe(true)
    }
    // A second statement hidden in a comment is a comment: the answer reads no dataset.
    const commented = await query('officer.moh', 'SELECT 1 AS one -- ; DROP VIEW person_address_pa')
    expect(JSON.parse(commented.text)).toMatchObject({ data: { rows: [[1]], views: [] } })
    const counted = await query(
      'officer.moh',
      "SELECT count(*) FILTER (WHERE sex <> 'M') AS others, count(*) AS n FROM person_address_pa",
    )
    expect((JSON.parse(counted.text) as Answer).data.rows).toEqual([['0', String(men)]])
    // A column outside the grant is not there to be read, in any format.
    for (const format of ['json', 'csv', 'ndjson', 'parquet', 'arrow']) {
      const ungranted = await query(
        'officer.moh',
        'SELECT postal_code FROM person_address_pa',
        format,
      )
      expect(ungranted.status, format).toBe(400)
      expect(ungranted.text, format).toMatch(/postal_code/)
      expectNothingForbidden(ungranted.text, format)
    }
  })

  it('audits every read naming the datasets it read', async () => {
    const { text } = await query(
      'officer.moh',
      'SELECT count(*) FROM person_address_pa p JOIN postal_geocode_reference g ON true LIMIT 1',
    )
    const answer = JSON.parse(text) as Answer
    expect(answer.ok, text).toBe(true)
    expect(answer.data.views.sort()).toEqual(['person_address_pa', 'postal_geocode_reference'])
    const ids = await Promise.all(
      ['person-address-pa', 'postal-geocode-reference'].map(
        async (slug) => (await platform.runtime.catalog.findDataset(slug, systemAbility()))?.id,
      ),
    )
    const audit = await platform.runtime.audit.list({ limit: 500 })
    const entry = audit.find((e) => e.action === 'query.run' && e.subjectId === answer.data.id)
    expect([...((entry?.details.datasets as string[] | undefined) ?? [])].sort()).toEqual(
      ids.sort(),
    )
    // Every refusal is on record; every successful read names a dataset for each view it read.
    const runs = audit.filter((e) => e.action === 'query.run')
    expect(runs.filter((e) => e.outcome === 'failed').length).toBeGreaterThan(90)
    for (const run of runs.filter((e) => e.outcome === 'succeeded'))
      expect((run.details.datasets as string[]).length, JSON.stringify(run.details)).toBe(
        new Set((run.details.views as string[]).map((v) => v.replace(/_sample$/, ''))).size,
      )
  })
})
