import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ColumnProfile, profileColumns } from './column-profile.js'
import { suppressBars } from './profile-suppression.js'
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
    // Changi's one person is counted with Tampines, the next smallest, so no count is under k.
    expect(area.topValues).toEqual([{ value: 'BEDOK', rows: 12 }])
    expect(area.rareRows).toBe(8)
    expect(JSON.stringify(area)).not.toContain('CHANGI')
    const income = byName(profiles, 'income')
    expect(income.topValues).toEqual([])
    expect(income.rareRows).toBe(20)
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

  it('shows only counts of every column of a dataset about people whose version has no sample', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: undefined })
    for (const name of ['age', 'income', 'joined_on'])
      expect(byName(profiles, name), name).toMatchObject({
        disclosure: 'no-sample',
        min: null,
        max: null,
        topValues: [],
        rareRows: 0,
        histogram: null,
        rules: [expect.stringMatching(/has no sample .* only rows, missing and distinct values/)],
      })
    expect(byName(profiles, 'income')).toMatchObject({ rows: 20, nulls: 0, distinct: 2 })
    // Without any personal column, values are shown as published.
    const plain = await profileColumns(conn, 'people', {
      columns: columns.filter((c) => c.personalData === 'none'),
      k: 5,
      sample: undefined,
    })
    expect(byName(plain, 'income').disclosure).toBe('as-published')
  })

  it('withholds the next smallest bars beside a withheld one, so no bar is found by subtraction', async () => {
    const profiles = await profileColumns(conn, 'people', { columns, k: 5, sample: SAMPLE })
    for (const profile of profiles) {
      const bars = profile.histogram ?? []
      const withheld = bars.filter((b) => b.rows === null)
      if (withheld.length === 0) continue
      const shown = bars.reduce((sum, b) => sum + (b.rows ?? 0), 0)
      expect(withheld.length, profile.name).toBeGreaterThanOrEqual(2)
      expect(profile.rows - profile.nulls - shown, profile.name).toBeGreaterThanOrEqual(5)
    }
    // The registry's days since diagnosis: 60 rows, bars 6, 7, 4, 11, 11, 10, 11.
    const counts = [6, 7, 4, 11, 11, 10, 11]
    expect(
      suppressBars(
        counts.map((rows, i) => ({ label: `bar ${i}`, rows })),
        5,
      ).map((b) => b.rows),
    ).toEqual([null, 7, null, 11, 11, 10, 11])
  })

  it('never names a sample-level group fewer than k rows carry, in bars or top values', async () => {
    // At k = 6 the 35-49 band (5 people) is withheld unnamed, and 18-34 beside it.
    const age = byName(
      await profileColumns(conn, 'people', { columns, k: 6, sample: SAMPLE }),
      'age',
    )
    expect(age.histogram).toEqual([
      { label: '18-34', rows: null },
      { label: 'other values', rows: null },
    ])
    expect(age.topValues).toEqual([])
    expect(age.rareRows).toBe(20)
    expect(JSON.stringify([age.histogram, age.topValues, age.min, age.max])).not.toContain('35-49')
  })
})
