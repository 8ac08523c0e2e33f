import { describe, expect, it } from 'vitest'
import type { KpiInput } from './kpi-computation.js'
import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definition.js'
import { periodsToNow } from './kpi-periods.js'
import type { StoredKpiValue } from './kpi-reads.js'

const sgt = (local: string) => new Date(`${local}+08:00`)
const kpi = (number: number) => KPI_DEFINITIONS.find((d) => d.number === number) as KpiDefinition

const value = (year: number, quarter: number, v: number): StoredKpiValue => ({
  number: 0,
  year,
  quarter,
  by: '',
  group: '',
  value: v,
  numerator: v,
  denominator: v,
  target: null,
  status: 'met',
  closed: true,
})

const register: KpiInput = {
  slug: 'digital-services-register',
  datasetId: 'd_1',
  title: 'Digital services register',
  version: 3,
  contentSha256: 'x',
  runId: undefined,
  publishedAt: '2026-06-01T00:00:00.000Z',
}

describe('the periods of a KPI up to the present', () => {
  it('lists every quarter to the current one, saying why one has no value', () => {
    const now = sgt('2026-12-07T11:00:00')
    const computation = { computedAt: now, inputs: [] }
    const periods = periodsToNow(kpi(14), [value(2026, 1, 5), value(2026, 2, 6)], computation, now)
    expect(periods.map((p) => [p.period, p.value, p.reason])).toEqual([
      ['2026 Q1', 5, null],
      ['2026 Q2', 6, null],
      ['2026 Q3', null, 'No cross-agency request was approved in 2026 Q3'],
      ['2026 Q4', null, 'No cross-agency request was approved in 2026 Q4 so far'],
    ])
  })

  it('says a running period is so far, and a register with no records for a year says which', () => {
    const now = sgt('2027-02-01T09:00:00')
    const computedAt = sgt('2027-01-15T09:00:00')
    const periods = periodsToNow(
      kpi(3),
      [value(2025, 0, 98)],
      { computedAt, inputs: [register] },
      now,
    )
    expect(periods.map((p) => [p.period, p.value, p.reason])).toEqual([
      ['2025', 98, null],
      ['2026', null, 'No records for 2026 in Digital services register (version 3) yet'],
      ['2027', null, 'No records for 2027 in Digital services register (version 3) yet'],
    ])
    const running = periodsToNow(kpi(3), [value(2027, 0, 99)], { computedAt, inputs: [] }, now)
    expect(running).toEqual([
      {
        year: 2027,
        quarter: 0,
        period: '2027',
        value: 99,
        status: 'met',
        reason: 'Year in progress: value so far',
      },
    ])
  })

  it('names a register not published yet, and a period begun since the computation', () => {
    const now = sgt('2027-01-02T09:00:00')
    const computation = { computedAt: sgt('2026-12-30T09:00:00'), inputs: [] }
    expect(periodsToNow(kpi(15), [], computation, now)).toEqual([
      expect.objectContaining({
        period: '2027',
        value: null,
        reason: 'Not computed since 2027 began',
      }),
    ])
    expect(
      periodsToNow(kpi(15), [value(2026, 0, 70)], computation, now).map((p) => p.reason),
    ).toEqual([null, 'Not computed since 2027 began'])
    const unpublished = periodsToNow(kpi(15), [], { computedAt: now, inputs: [] }, now)
    expect(unpublished.map((p) => p.reason)).toEqual([
      'Not published yet: government systems register',
    ])
    expect(periodsToNow(kpi(15), [], undefined, now).map((p) => p.reason)).toEqual([
      'Not computed yet',
    ])
  })
})
