import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entitlement } from '../access/index.js'
import { derivePseudonymKeys, grantPseudonymScope, pseudonymOf } from '../keys/index.js'
import { viewsOf } from './caller-views.js'
import { createProjections, type Projections, planProjection } from './projections.js'
import { openSandbox } from './worker-job.js'

const schema = [
  { name: 'person_key', type: 'VARCHAR', personalData: 'direct-identifier' },
  { name: 'planning_area', type: 'VARCHAR', personalData: 'quasi-identifier' },
  { name: 'age_band', type: 'VARCHAR', personalData: 'quasi-identifier' },
  { name: 'income', type: 'BIGINT', personalData: 'sensitive' },
]

const grant = (over: Partial<Entitlement> = {}): Entitlement => ({
  dataset: { id: 'd_1', slug: 'persons', title: 'Persons', agency: 'DOS' },
  scope: 'full',
  basis: 'grant',
  grantId: 'g_1',
  files: [
    { version: 2, path: 'tc/persons/v2.parquet' },
    { version: 1, path: 'tc/persons/v1.parquet' },
  ],
  columns: ['person_key', 'planning_area', 'age_band'],
  rowFilter: [{ column: 'planning_area', op: 'in', values: ['BEDOK'] }],
  inClear: [],
  schema,
  expiresAt: undefined,
  pseudonymScope: grantPseudonymScope({
    id: 'g_1',
    granteeId: 'u_1',
    project: 'Polyclinic capacity',
  }),
  ...over,
})

// One data directory and engine for the file: the sweep removes projections earlier tests made.
let dir: string
let engine: DuckDBInstance
let truth: DuckDBConnection
let projections: Projections
const keys = derivePseudonymKeys(randomBytes(32))
const rows = async (sql: string) => (await truth.runAndReadAll(sql)).getRowsJson()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'projections-'))
  await mkdir(join(dir, 'tc/persons'), { recursive: true })
  await mkdir(join(dir, 'samples/persons'), { recursive: true })
  engine = await DuckDBInstance.create(':memory:')
  truth = await engine.connect()
  for (const v of [1, 2])
    await truth.run(`COPY (SELECT 'S' || lpad(range::VARCHAR, 7, '0') || 'A' AS person_key,
        ['BEDOK', 'TAMPINES', 'YISHUN'][range % 3 + 1] AS planning_area,
        ['20-29', '30-39'][range % 2 + 1] AS age_band, 1000 * range AS income
      FROM range(${v * 1500})) TO '${join(dir, `tc/persons/v${v}.parquet`)}' (FORMAT parquet)`)
  await truth.run(
    `COPY (SELECT 'masked-0' AS person_key, '*' AS planning_area) TO '${join(dir, 'samples/persons/v2.parquet')}' (FORMAT parquet)`,
  )
  projections = createProjections({ dataDir: dir, engine, keys })
})
afterAll(async () => {
  truth?.closeSync()
  await rm(dir, { recursive: true, force: true })
})

describe('projections', () => {
  it('reads samples and wholly shown versions as published, and makes a file for anything less', () => {
    const [sample] = viewsOf([
      grant({
        scope: 'sample',
        basis: 'sample',
        grantId: undefined,
        files: [{ version: 2, path: 'samples/persons/v2.parquet' }],
        pseudonymScope: 'sample',
      }),
    ])
    const [whole] = viewsOf([
      grant({ columns: undefined, rowFilter: [], inClear: ['person_key'], basis: 'open-data' }),
    ])
    const [granted] = viewsOf([grant()])
    if (!sample || !whole || !granted) throw new Error('no views')
    expect(planProjection(sample, 2, keys)).toEqual({
      source: 'samples/persons/v2.parquet',
      path: 'samples/persons/v2.parquet',
    })
    expect(planProjection(whole, 1, keys)).toEqual({
      source: 'tc/persons/v1.parquet',
      path: 'tc/persons/v1.parquet',
    })
    expect(planProjection(granted, 2, keys)).toMatchObject({
      source: 'tc/persons/v2.parquet',
      path: expect.stringMatching(/^projections\/grant-g_1\/persons\/v2-[0-9a-f]{16}\.parquet$/),
    })
  })

  it('holds only the granted columns and rows, identifiers as the project’s pseudonyms', async () => {
    const [view] = viewsOf([grant()])
    if (!view) throw new Error('no view')
    const file = await projections.file(view, 2)
    expect(await rows(`DESCRIBE SELECT * FROM '${file}'`)).toEqual([
      expect.arrayContaining(['person_key']),
      expect.arrayContaining(['planning_area']),
      expect.arrayContaining(['age_band']),
    ])
    const [[count, areas]] = (await rows(
      `SELECT count(*), list(DISTINCT planning_area) FROM '${file}'`,
    )) as [[string, string[]]]
    expect([Number(count), areas]).toEqual([1000, ['BEDOK']])
    const projectKey = keys.keyOf('project:u_1/polyclinic capacity')
    const pairs = (await rows(`SELECT p.person_key, v.person_key
      FROM '${file}' p POSITIONAL JOIN (SELECT person_key FROM '${join(dir, 'tc/persons/v2.parquet')}'
        WHERE planning_area = 'BEDOK') v LIMIT 50`)) as [string, string][]
    for (const [masked, nric] of pairs) expect(masked).toBe(pseudonymOf(projectKey, nric))
    expect(await projections.rowCount(file)).toBe(1000)
  })

  it('gives a person one pseudonym within a grantee’s project and another in every other', async () => {
    const pseudonymsOf = async (entitlement: Entitlement, version: number) => {
      const [view] = viewsOf([entitlement])
      if (!view) throw new Error('no view')
      const file = await projections.file(view, version)
      return (
        (await rows(`SELECT person_key FROM '${file}' ORDER BY person_key`)) as string[][]
      ).flat()
    }
    const first = await pseudonymsOf(grant(), 1)
    expect(first).toHaveLength(500)
    // Another grant of the same project: the same pseudonyms, and on the next version (which
    // holds every person of the first and more) each person keeps theirs.
    const sameProject = grant({
      grantId: 'g_2',
      pseudonymScope: grantPseudonymScope({
        id: 'g_2',
        granteeId: 'u_1',
        project: ' POLYCLINIC  Capacity',
      }),
    })
    expect(await pseudonymsOf(sameProject, 1)).toEqual(first)
    const v2 = new Set(await pseudonymsOf(sameProject, 2))
    expect(v2.size).toBe(1000)
    expect(first.filter((p) => !v2.has(p))).toEqual([])
    // A grant for another project, and one naming none: nothing in common.
    for (const other of [
      grant({
        grantId: 'g_3',
        pseudonymScope: grantPseudonymScope({
          id: 'g_3',
          granteeId: 'u_1',
          project: 'Road safety',
        }),
      }),
      grant({
        grantId: 'g_4',
        pseudonymScope: grantPseudonymScope({ id: 'g_4', granteeId: 'u_1', project: undefined }),
      }),
      // Someone else naming the same project: theirs, not the first grantee's.
      grant({
        grantId: 'g_5',
        pseudonymScope: grantPseudonymScope({
          id: 'g_5',
          granteeId: 'u_2',
          project: 'Polyclinic capacity',
        }),
      }),
    ]) {
      const theirs = new Set(await pseudonymsOf(other, 1))
      expect(theirs.size).toBe(500)
      expect(first.filter((p) => theirs.has(p))).toEqual([])
    }
  })

  it('removes the projections of grants that ended, and only those', async () => {
    const root = join(dir, 'projections')
    expect((await readdir(root)).sort()).toEqual([
      'grant-g_1',
      'grant-g_2',
      'grant-g_3',
      'grant-g_4',
      'grant-g_5',
    ])
    expect(await projections.sweep(['g_1', 'g_3'])).toBe(3)
    expect((await readdir(root)).sort()).toEqual(['grant-g_1', 'grant-g_3'])
  })

  it('builds one projection once however many ask for it at the same time', async () => {
    const [view] = viewsOf([grant({ grantId: 'g_9' })])
    if (!view) throw new Error('no view')
    const files = await Promise.all(Array.from({ length: 5 }, () => projections.file(view, 1)))
    expect(new Set(files).size).toBe(1)
    const folder = join(dir, 'projections/grant-g_9/persons')
    expect(await readdir(folder)).toHaveLength(1)
    // Only the server's own user may enter a grant's folder.
    expect((await stat(folder)).mode & 0o777).toBe(0o700)
  })
})

// The structural wall: SQL run in the sandbox *without* the gate still finds nothing but the
// caller's projection. Each of these would be refused by the gate first; here it is not asked.
describe('the sandbox of a projection', () => {
  it('holds nothing but the projection, even for SQL the gate would refuse', async () => {
    const [view] = viewsOf([grant()])
    if (!view) throw new Error('no view')
    const file = await projections.file(view, 2)
    const instance = await DuckDBInstance.create(':memory:')
    const sandbox = await instance.connect()
    await openSandbox(sandbox, {
      sql: '',
      views: [{ name: 'persons', file }],
      format: 'json',
      answerPath: join(dir, 'unused', 'answer'),
      timeoutMs: 1_000,
      maxRows: 10,
      maxJsonBytes: 1_000,
    })
    const run = async (sql: string) =>
      (await sandbox.runAndReadAll(sql).then((r) => r.getRowsJson())).map((row) => row.map(String))
    const raw = join(dir, 'tc/persons/v2.parquet')
    for (const sql of [
      `SELECT * FROM '${raw}'`,
      `SELECT * FROM read_parquet('${raw}')`,
      `SELECT * FROM read_parquet('${join(dir, 'tc/persons/v1.parquet')}')`,
      `SELECT * FROM glob('${dir}/**')`,
      "SELECT * FROM read_text('/etc/passwd')",
      `ATTACH '${join(dir, 'x.duckdb')}' AS x`,
      'SET enable_external_access = true',
      'RESET lock_configuration',
    ])
      await expect(run(sql), sql).rejects.toThrow(/Permission|disabled|locked|Cannot/)
    // What the engine knows of itself: one view over one file, no key, no variable.
    expect(await run("SELECT value FROM duckdb_settings() WHERE name = 'allowed_paths'")).toEqual([
      [`[${file}]`],
    ])
    expect(await run('SELECT count(*) FROM duckdb_variables()')).toEqual([['0']])
    expect(await run('SELECT view_name FROM duckdb_views() WHERE NOT internal')).toEqual([
      ['persons'],
    ])
    const all = await run('SELECT person_key, planning_area FROM persons')
    expect(all).toHaveLength(1000)
    expect(
      all.every(([key, area]) => /^masked-[0-9a-f]{16}$/.test(key ?? '') && area === 'BEDOK'),
    ).toBe(true)
    sandbox.closeSync()
    instance.closeSync()
  })
})
