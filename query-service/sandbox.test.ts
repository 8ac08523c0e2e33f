import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entitlement } from '../catalog/index.js'
import { QueryLimitError, QueryRefusedError } from './errors.js'
import { runQuery } from './run-query.js'
import { openSandbox, type Sandbox, type SandboxLimits } from './sandbox.js'

const LIMITS: SandboxLimits = { timeoutMs: 1_500, memoryLimit: '128MB', threads: 1, maxRows: 1_000 }

const schema = [
  { name: 'person_key', type: 'VARCHAR', personalData: 'direct-identifier' },
  { name: 'planning_area', type: 'VARCHAR', personalData: 'quasi-identifier' },
  { name: 'age_band', type: 'VARCHAR', personalData: 'quasi-identifier' },
  { name: 'income', type: 'BIGINT', personalData: 'sensitive' },
]

const entitlement = (over: Partial<Entitlement>): Entitlement => ({
  dataset: { id: 'd_1', slug: 'persons', title: 'Persons', agency: 'DOS' },
  scope: 'full',
  basis: 'grant',
  grantId: 'g_1',
  files: [{ version: 1, path: 'tc/persons/v1.parquet' }],
  columns: ['person_key', 'planning_area', 'age_band'],
  rowFilter: [{ column: 'planning_area', op: 'in', values: ['BEDOK'] }],
  inClear: [],
  schema,
  expiresAt: undefined,
  ...over,
})

describe('query sandbox', () => {
  let dir: string
  let sandbox: Sandbox
  const run = (sql: string, limits = LIMITS) => runQuery(sandbox, sql, limits)

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-test-'))
    const setup = await (await DuckDBInstance.create(':memory:')).connect()
    await setup.run(`CREATE SCHEMA x`)
    const copy = (sql: string, path: string) =>
      setup.run(`COPY (${sql}) TO '${join(dir, path)}' (FORMAT parquet)`)
    await setup.run(`CREATE OR REPLACE MACRO area(i) AS ['BEDOK', 'TAMPINES', 'YISHUN'][i % 3 + 1]`)
    await import('node:fs/promises').then((fs) =>
      Promise.all(
        ['tc/persons', 'tc/weather', 'tc/secret'].map((d) =>
          fs.mkdir(join(dir, d), { recursive: true }),
        ),
      ),
    )
    await copy(
      `SELECT 'S' || lpad(range::VARCHAR, 7, '0') || 'A' AS person_key, area(range) AS planning_area,
        ['20-29', '30-39'][range % 2 + 1] AS age_band, 1000 * range AS income FROM range(3000)`,
      'tc/persons/v1.parquet',
    )
    await copy(`SELECT range AS hour, 27.5 AS temperature FROM range(24)`, 'tc/weather/v1.parquet')
    await copy(`SELECT 'top secret' AS s`, 'tc/secret/v1.parquet')
    sandbox = await openSandbox(
      [
        entitlement({}),
        entitlement({
          dataset: { id: 'd_2', slug: 'hourly-weather', title: 'Weather', agency: 'GOVTECH' },
          scope: 'sample',
          basis: 'sample',
          grantId: undefined,
          files: [{ version: 1, path: 'tc/weather/v1.parquet' }],
          columns: undefined,
          rowFilter: [],
          schema: [],
        }),
      ],
      { dataDir: dir, maskKey: 'test-mask-key', limits: LIMITS },
    )
  })
  afterAll(async () => {
    sandbox?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('shows granted columns only, masks direct identifiers and applies the row filter', async () => {
    expect(sandbox.views.map((v) => v.name)).toEqual(['persons', 'hourly_weather_sample'])
    const result = await run('SELECT * FROM persons ORDER BY age_band')
    expect(result.columns.map((c) => c.name)).toEqual(['person_key', 'planning_area', 'age_band'])
    expect(result.rowCount).toBe(1000)
    expect(new Set(result.rows.map((r) => r[1]))).toEqual(new Set(['BEDOK']))
    expect(result.rows.every((r) => String(r[0]).startsWith('masked-'))).toBe(true)
    expect(result.rows.some((r) => /^S\d{7}A$/.test(String(r[0])))).toBe(false)
    const sample = await run('SELECT count(*) AS n FROM hourly_weather_sample')
    expect(sample.rows).toEqual([['24']])
  })

  it('cuts a JSON answer at the row limit and says so', async () => {
    const result = await run('SELECT * FROM persons', { ...LIMITS, maxRows: 10 })
    expect(result).toMatchObject({ rowCount: 10, truncated: true, views: ['persons'] })
  })

  // Each of these must end in a refusal or a limit, never in data.
  const secret = () => join(dir, 'tc/secret/v1.parquet')
  const raw = () => join(dir, 'tc/persons/v1.parquet')
  const HOSTILE: [string, () => string][] = [
    ['a table function over another file', () => `SELECT * FROM read_parquet('${secret()}')`],
    [
      'a table function over the raw file behind a view',
      () => `SELECT * FROM read_parquet('${raw()}')`,
    ],
    ['the raw file as a table name', () => `SELECT * FROM '${raw()}'`],
    ['read_csv of a system file', () => `SELECT * FROM read_csv('/etc/passwd')`],
    ['read_text', () => `SELECT * FROM read_text('/etc/passwd')`],
    ['glob', () => `SELECT * FROM glob('/*')`],
    ['query_table', () => `SELECT * FROM query_table('persons')`],
    ['query()', () => `SELECT * FROM query('SELECT 1')`],
    ['the views catalogue', () => 'SELECT * FROM duckdb_views()'],
    ['settings by function', () => `SELECT current_setting('allowed_paths')`],
    ['information_schema', () => 'SELECT * FROM information_schema.tables'],
    ['pg_catalog', () => 'SELECT * FROM pg_catalog.pg_class'],
    ['another catalog', () => 'SELECT * FROM system.main.persons'],
    ['a quoted unknown name', () => 'SELECT * FROM "secret"'],
    ['ATTACH', () => `ATTACH '${join(dir, 'x.duckdb')}' AS x`],
    ['DETACH', () => 'DETACH memory'],
    ['COPY TO', () => `COPY (SELECT * FROM persons) TO '${join(dir, 'out.csv')}'`],
    ['INSTALL', () => 'INSTALL httpfs'],
    ['LOAD', () => 'LOAD httpfs'],
    ['SET', () => 'SET threads = 8'],
    ['PRAGMA', () => 'PRAGMA database_list'],
    ['stacked statements', () => 'SELECT 1; DROP VIEW persons'],
    ['two selects', () => 'SELECT * FROM persons; SELECT 2'],
    [
      'a table function in a lateral join',
      () => `SELECT * FROM persons, LATERAL read_parquet('${secret()}')`,
    ],
    ['CREATE', () => 'CREATE TABLE t AS SELECT * FROM persons'],
    ['DROP', () => 'DROP VIEW persons'],
    ['DESCRIBE', () => 'DESCRIBE persons'],
    ['SHOW', () => 'SHOW TABLES'],
    ['SUMMARIZE', () => 'SUMMARIZE persons'],
    ['EXPLAIN', () => 'EXPLAIN SELECT * FROM persons'],
    ['CALL', () => 'CALL pragma_version()'],
    [
      'a view hidden in a subquery',
      () => `SELECT (SELECT count(*) FROM read_parquet('${secret()}'))`,
    ],
    [
      'a table function in a CTE',
      () => `WITH s AS (SELECT * FROM read_parquet('${secret()}')) SELECT * FROM s`,
    ],
  ]
  for (const [name, sql] of HOSTILE) {
    it(`refuses ${name}`, async () => {
      const error = await run(sql()).catch((e: unknown) => e)
      if (process.env.SHOW) process.stderr.write(`REFUSAL ${name}: ${(error as Error).message}\n`)
      expect(error).toBeInstanceOf(QueryRefusedError)
    })
  }

  it('stops blow-ups at the time or memory limit, naming it', async () => {
    const recursive = run(
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
    )
    await expect(recursive).rejects.toBeInstanceOf(QueryLimitError)
    const cross = run(
      'SELECT count(*) FROM persons a, persons b, persons c, persons d WHERE a.age_band <> d.age_band',
    )
    await expect(cross).rejects.toThrow(/time limit|memory limit/)
    // The sandbox still answers afterwards.
    expect((await run('SELECT count(*) FROM persons')).rows).toEqual([['1000']])
  })

  it('answers a mistake in the query with DuckDB’s own words', async () => {
    await expect(run('SELECT nope FROM persons')).rejects.toThrow(/Binder Error/)
    await expect(run('SELEC 1')).rejects.toThrow(/^Syntax error/)
  })
})
