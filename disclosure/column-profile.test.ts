import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ColumnProfile, profileColumns } from './column-profile.js'
import type { SampleColumnReport, SampleReport } from './sample-report.js'

let instance: DuckDBInstance
let conn: Awaited<ReturnType<DuckDBInstance['connect']>>

// 20 people: ages 20..39, a planning area each of Bedok (12) and Tampines (7), and one person
// alone in Changi; one income no one else has; every NRIC their own.
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:')
  conn = await instance.connect()
  await conn.run(`CREATE TABLE people AS SELECT
      'S' || lpad(i::VARCHAR, 7, '0') || 'A' AS nric,
      (19 + i)::INTEGER AS age,
      CASE WHEN i <= 12 THEN 'BEDOK' WHEN i <= 19 THEN 'TAMPINES' ELSE 'CHANGI' END AS planning_area_name,
      CASE WHEN i <= 12 THEN '460' ELSE '520' END || lpad(i::VARCHAR, 3, '0') AS postal_code,
      CASE WHEN i = 7 THEN 999999 ELSE 3000 END::INTEGER AS income,
      CASE WHEN i % 5 = 0 THEN NULL ELSE DATE '2024-01-01' + i::INTEGER END AS joined_on
    FROM range(1, 21) t(i)`)
})
afterAll(() => {
  conn?.closeSync()
  instance?.closeSync()
})

const columns = [
  { name: 'nric', type: 'VARCHAR', personalData: 'direct-identifier' as const },
  { name: 'age', type: 'INTEGER', personalData: 'quasi-identifier' as const },
  { name: 'planning_area_name', type: 'VARCHAR', personalData: 'quasi-identifier' as const },
  { name: 'postal_code', type: 'VARCHAR', personalData: 'quasi-identifier' as const },
  { name: 'income', type: 'INTEGER', personalData: 'none' as const },
  { name: 'joined_on', type: 'DATE', personalData: 'none' as const },
]

const reported = (name: string, shownAs?: string): SampleColumnReport => ({
  name,
  declared: 'quasi-identifier',
  treatment: 'quasi-identifier',
  ...(shownAs ? { shownAs } : {}),
  reasons: [],
})

const SAMPLE: SampleReport = {
  method: 'test',
  k: 5,
  kReached: 5,
  l: 2,
  lReached: null,
  drawnRows: 20,
  rows: 20,
  suppressedRows: 0,
  maxSuppressedRows: 1,
  informationLoss: 0.5,
  keep: {},
  keptAsAsked: true,
  lattice: { nodes: 1, evaluated: 1 },
  hierarchies: [],
  columns: [
    { ...reported('nric'), declared: 'direct-identifier', treatment: 'masked' },
    reported('age', 'bands 0-17, 18-34, 35-49, 50-64, 65+'),
    reported('planning_area_name', 'planning area'),
    reported('postal_code', 'planning area'),
    { ...reported('income'), declared: 'none', treatment: 'measure' },
    reported('joined_on', 'as published'),
  ],
}

const byName = (profiles: ColumnProfile[], name: string) => {
  const found = profiles.find((p) => p.name === name)
  if (!found) throw new Error(`no profile of ${name}`)
  return found
}

describe('column profiles under the sample rules', () => {
  it('shows a direct identifier only as missing and distinct counts', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: SAMPLE })
    expect(byName(profiles, 'nric')).toEqual({
      name: 'nric',
      type: 'VARCHAR',
      personalData: 'direct-identifier',
      rows: 20,
      nulls: 0,
      distinct: 20,
      disclosure: 'direct-identifier',
      level: null,
      rules: ['withheld: direct identifier (only missing and distinct values are counted)'],
      min: null,
      max: null,
      topValues: [],
      rareRows: 0,
      histogram: null,
    })
  })

  it('shows a quasi-identifier at the sample level, its histogram in the level order', async () => {
    const age = byName(
      await profileColumns(conn, 'people', { columns, k: 5, sample: SAMPLE }),
      'age',
    )
    expect(age.disclosure).toBe('sample-level')
    expect(age.level).toBe('bands 0-17, 18-34, 35-49, 50-64, 65+')
    // Ages 20..39: 15 of them in 18-34, 5 in 35-49.
    expect(age.topValues).toEqual([
      { value: '18-34', rows: 15 },
      { value: '35-49', rows: 5 },
    ])
    expect([age.min, age.max]).toEqual(['18-34', '35-49'])
    expect(age.histogram).toEqual([
      { label: '18-34', rows: 15 },
      { label: '35-49', rows: 5 },
    ])
    expect(age.rules[0]).toBe("at the sample's level: bands 0-17, 18-34, 35-49, 50-64, 65+")
  })

  it('leaves out a value fewer than k rows carry, from top values, range and bars', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: SAMPLE })
    const area = byName(profiles, 'planning_area_name')
    expect(area.topValues).toEqual([
      { value: 'BEDOK', rows: 12 },
      { value: 'TAMPINES', rows: 7 },
    ])
    expect(area.rareRows).toBe(1)
    expect(JSON.stringify(area)).not.toContain('CHANGI')
    const income = byName(profiles, 'income')
    expect(income.topValues).toEqual([{ value: '3000', rows: 19 }])
    expect([income.min, income.max]).toEqual(['3000', '3000'])
    expect(JSON.stringify(income)).not.toContain('999999')
  })

  it('hides a column the sample level hides, and withholds histogram bars under k', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: SAMPLE })
    expect(byName(profiles, 'postal_code')).toMatchObject({
      disclosure: 'hidden-in-sample',
      level: 'planning area',
      topValues: [],
      min: null,
      rules: ['withheld: the sample shows its data at planning area, where this column is hidden'],
    })
    const joined = byName(profiles, 'joined_on')
    expect(joined.nulls).toBe(4)
    expect(joined.histogram?.map((b) => b.rows ?? 'withheld')).toContain('withheld')
    expect(joined.histogram?.[0]?.label).toMatch(/^below 2024-01-/)
  })

  it('withholds personal columns when no sample set their level', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: undefined })
    expect(byName(profiles, 'age')).toMatchObject({
      disclosure: 'no-sample',
      topValues: [],
      histogram: null,
    })
    expect(byName(profiles, 'income').topValues).toEqual([{ value: '3000', rows: 19 }])
  })
})
