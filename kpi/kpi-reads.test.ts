import type { Kysely, KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AccessTables } from '../access/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import type { KpiValue } from './compute-kpis.js'
import { createKpiComputationStore } from './kpi-computation-store.js'
import { createKpiReads } from './kpi-reads.js'
import type { KpiTables } from './kpi-tables.js'
import { readValues, type StoredKpiValue } from './kpi-values-read.js'
import { kpiMigrations } from './migrations.js'

/** A value of KPI `number`, with the fields a test varies. */
const value = (number: number, fields: Partial<KpiValue>): KpiValue => ({
  number,
  year: 2025,
  quarter: 0,
  by: '',
  group: '',
  value: 0.5,
  numerator: 1,
  denominator: 2,
  target: { kind: 'at-least', value: 0.75 },
  status: 'missed',
  closed: true,
  ...fields,
})

// Doubles that do not print short, the edges of a double, and values that are not numbers.
const VALUES: KpiValue[] = [
  value(1, { value: 0.1 + 0.2, numerator: 1 / 3, denominator: 2 ** 53 + 2 }),
  value(1, { by: 'agency', group: 'Singapore Land Authority', target: null, status: '' }),
  value(1, { by: 'agency', group: 'Immigration & Checkpoints Authority', value: 5e-324 }),
  value(1, { by: 'agency', group: 'ministry of Health', value: -1.7976931348623157e308 }),
  value(1, { by: 'ministry-family', group: 'MHA', value: Number.NaN, denominator: 0 }),
  value(1, { year: 2024, value: Number.POSITIVE_INFINITY, closed: false }),
  value(2, { quarter: 3, value: 123456789.12345679, status: 'met' }),
  value(14, { quarter: 1, value: -0, numerator: Number.NEGATIVE_INFINITY }),
]

/** The values of a computation as they were read before: row by row, in the routes' order. */
async function rowByRow(db: Kysely<KpiTables>, id: string): Promise<StoredKpiValue[]> {
  const rows = await db
    .selectFrom('kpi_values')
    .selectAll()
    .where('computation_id', '=', id)
    .orderBy('number')
    .orderBy('year')
    .orderBy('quarter')
    .orderBy('breakdown')
    .orderBy('member')
    .execute()
  return rows.map((r) => ({
    number: r.number,
    year: r.year,
    quarter: r.quarter,
    by: r.breakdown as StoredKpiValue['by'],
    group: r.member,
    value: r.value,
    numerator: r.numerator,
    denominator: r.denominator,
    target: r.target,
    status: r.status || null,
    closed: r.closed,
  }))
}

describe.each(TEST_BACKENDS)('KPI reads on %s', (backend) => {
  let test: TestDatabase<KpiTables & AccessTables>
  let queries = 0
  // Counts every statement the reads send, to show what is served from memory.
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      queries++
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const keep = (id: string, values: readonly KpiValue[]) =>
    createKpiComputationStore(test.db).keep(
      {
        id,
        computedAt: new Date('2026-01-02T03:04:05Z'),
        trigger: { kind: 'on demand', actor: 'test' },
        inputs: [],
        platformRecords: {},
        contentSha256: id,
      },
      values,
    )

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [kpiMigrations],
    })
    await keep('kpi_a', VALUES)
    await keep('kpi_empty', [])
  })
  afterAll(() => test.close())

  it('reads every value exactly as the row-by-row read did, in its order', async () => {
    const before = await rowByRow(test.db, 'kpi_a')
    const now = await readValues(test.db, 'kpi_a')
    expect(now).toEqual(before)
    // toEqual takes -0 for 0 and NaN for NaN; the exact doubles, one by one:
    for (const [i, v] of now.entries())
      for (const field of ['value', 'numerator', 'denominator'] as const)
        expect(Object.is(v[field], before[i]?.[field])).toBe(true)
    expect(await readValues(test.db, 'kpi_empty')).toEqual([])
  })

  it('gives a recomputation the rows of the KPIs it keeps, and nothing for none', async () => {
    const store = createKpiComputationStore(test.db)
    const rows = await store.rowsOf('kpi_a', [1, 14, 7])
    const all = await rowByRow(test.db, 'kpi_a')
    const asRows = (number: number) =>
      all
        .filter((v) => v.number === number)
        .map(({ year, quarter, by, group, value, numerator, denominator }) => ({
          ...{ year, quarter, by, group, value, numerator, denominator },
        }))
    expect([...rows.keys()]).toEqual([1, 14])
    expect(rows.get(1)).toEqual(asRows(1))
    expect(rows.get(14)).toEqual(asRows(14))
    expect((await store.rowsOf('kpi_a', [])).size).toBe(0)
  })

  it("reads a computation's values once, and serves totals and each KPI from memory", async () => {
    const reads = createKpiReads(test.db.withPlugin(counting))
    queries = 0
    const totals = await reads.totals('kpi_a')
    const one = await reads.values('kpi_a', 1)
    for (let i = 0; i < 5; i++) {
      await reads.totals('kpi_a')
      await reads.values('kpi_a', 14)
    }
    expect(queries).toBe(1)
    const all = await rowByRow(test.db, 'kpi_a')
    expect(totals).toEqual(all.filter((v) => v.by === ''))
    expect(one).toEqual(all.filter((v) => v.number === 1))
    expect(await reads.values('kpi_a', 7)).toEqual([])
    expect(await reads.values('kpi_empty', 1)).toEqual([])
  })

  it('reads the values of a new computation, and keeps only the two newest', async () => {
    const reads = createKpiReads(test.db.withPlugin(counting))
    await keep('kpi_b', [value(3, { value: 0.25 })])
    await keep('kpi_c', [value(3, { value: 0.125 })])
    queries = 0
    await reads.totals('kpi_a')
    await reads.totals('kpi_b')
    expect((await reads.totals('kpi_c'))[0]?.value).toBe(0.125)
    expect(queries).toBe(3)
    await reads.totals('kpi_b')
    await reads.totals('kpi_c')
    expect(queries).toBe(3)
    // The oldest was let go: asked again, it is read again.
    await reads.totals('kpi_a')
    expect(queries).toBe(4)
  })
})
