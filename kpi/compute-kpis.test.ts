import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CoreFieldAvailability, SharingRecord } from '../access/index.js'
import { canonicalJson } from '../text/index.js'
import {
  type ComputedKpis,
  computeKpis,
  kpiYears,
  type PlatformRecords,
  type RegisterKpiInputs,
} from './compute-kpis.js'
import type { KpiInput } from './kpi-computation.js'
import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definition.js'
import type { KpiRow } from './kpi-row.js'

const sgt = (local: string) => new Date(`${local}+08:00`)
/** 2025 and every year before it have ended, and so has 2026 Q1; 2026 is running. */
const NOW = sgt('2026-05-15T12:00:00')

function definition(
  fields: Pick<KpiDefinition, 'number' | 'target'> & Partial<KpiDefinition>,
): KpiDefinition {
  return {
    category: 'Digital capabilities',
    wording: `KPI ${fields.number} as worded`,
    unit: 'percent',
    targetText: `target of KPI ${fields.number}`,
    source: 'trusted-centre',
    direction: 'up',
    period: 'year',
    breakdowns: [],
    measurement: 'as measured',
    datasets: [],
    ...fields,
  }
}

const total = (year: number, value: number, quarter = 0): KpiRow => ({
  year,
  quarter,
  by: '',
  group: '',
  value,
  numerator: value,
  denominator: 100,
})

const dataset = (slug: string, version: number): KpiInput => ({
  slug,
  datasetId: `d_${slug}`,
  title: slug,
  version,
  contentSha256: `${slug}-v${version}-sha`,
  runId: `run_${slug}`,
  publishedAt: '2026-05-01T00:00:00.000Z',
})

const register = (
  rows: Record<number, KpiRow[]>,
  datasets: readonly KpiInput[] = [],
): RegisterKpiInputs => ({
  datasets,
  rows: new Map(Object.entries(rows).map(([n, r]) => [Number(n), r])),
})

const NO_RECORDS: PlatformRecords = { sharingRecords: [], coreFields: [] }

/** Each value's period, breakdown and status, in the order computed. */
const statuses = (result: ComputedKpis) =>
  result.values.map((v) => [`${v.year}${v.quarter ? ` Q${v.quarter}` : ''}`, v.group, v.status])

function request(fields: Partial<SharingRecord>): SharingRecord {
  return {
    requestId: 'req',
    dataset: 'some-dataset',
    datasetTitle: 'Some dataset',
    requesterId: 'u_requester',
    owningAgency: 'MOH',
    requesterAgency: 'GOVTECH',
    crossAgency: true,
    submittedAt: sgt('2025-03-03T09:00:00'),
    decidedAt: sgt('2025-03-10T09:00:00'),
    outcome: 'approved',
    decisionWorkingDays: 5,
    grantWorkingDays: 5,
    project: 'project-a',
    ...fields,
  }
}

describe('status against targets', () => {
  it('judges each value against its target, as missed only once its period has ended', () => {
    const ceiling = definition({
      number: 14,
      target: { kind: 'at-most', value: 7 },
      direction: 'down',
      period: 'quarter',
    })
    const rows = [
      total(2025, 7, 4),
      total(2026, 8, 1),
      total(2026, 6, 2),
      total(2026, 7.3, 2),
      total(2026, 8, 2),
    ]
    expect(statuses(computeKpis(register({ 14: rows }), NO_RECORDS, [ceiling], NOW))).toEqual([
      ['2025 Q4', '', 'met'],
      ['2026 Q1', '', 'missed'],
      ['2026 Q2', '', 'met'],
      ['2026 Q2', '', 'on track'],
      ['2026 Q2', '', 'at risk'],
    ])
  })

  it('closes a period at the first instant after it, Singapore time', () => {
    const floor = definition({ number: 3, target: { kind: 'at-least', value: 100 } })
    const inputs = register({ 3: [total(2025, 50)] })
    const justBefore = computeKpis(inputs, NO_RECORDS, [floor], sgt('2025-12-31T23:59:59'))
    const atMidnight = computeKpis(inputs, NO_RECORDS, [floor], sgt('2026-01-01T00:00:00'))
    expect(justBefore.values.map((v) => [v.closed, v.status])).toEqual([[false, 'at risk']])
    expect(atMidnight.values.map((v) => [v.closed, v.status])).toEqual([[true, 'missed']])
  })
})

describe('breakdowns', () => {
  const group = (by: KpiRow['by'], name: string, value: number): KpiRow => ({
    ...total(2025, value),
    by,
    group: name,
  })

  it('keeps only the breakdowns a KPI is given by, each held to its group target', () => {
    const target = { kind: 'at-least', value: 10 } as const
    const groupTarget = { kind: 'at-least', value: 2 } as const
    const kpi = definition({
      number: 10,
      unit: 'count',
      target,
      groupTarget,
      breakdowns: ['ministry-family'],
    })
    const rows = [
      total(2025, 3),
      group('ministry-family', 'MDDI', 2),
      group('ministry-family', 'MHA', 1),
      group('agency', 'GOVTECH', 2),
    ]
    const result = computeKpis(register({ 10: rows }), NO_RECORDS, [kpi], NOW)
    const kept = { number: 10, year: 2025, quarter: 0, denominator: 100, closed: true }
    expect(result.values).toEqual([
      { ...kept, by: '', group: '', value: 3, numerator: 3, target, status: 'missed' },
      {
        ...kept,
        by: 'ministry-family',
        group: 'MDDI',
        value: 2,
        numerator: 2,
        target: groupTarget,
        status: 'met',
      },
      {
        ...kept,
        by: 'ministry-family',
        group: 'MHA',
        value: 1,
        numerator: 1,
        target: groupTarget,
        status: 'missed',
      },
    ])
    expect(result.history.map((h) => [h.period, h.value, h.status])).toEqual([
      ['2025', 3, 'missed'],
    ])
  })

  it('gives the breakdowns of a count without a group target no target and no status', () => {
    const count = definition({
      number: 8,
      unit: 'count',
      target: { kind: 'at-least', value: 20000 },
      breakdowns: ['ministry-family', 'agency'],
    })
    const rows = [
      total(2025, 21000),
      group('ministry-family', 'MOH', 900),
      group('agency', 'MOH', 400),
    ]
    const result = computeKpis(register({ 8: rows }), NO_RECORDS, [count], NOW)
    expect(result.values.map((v) => [v.by, v.group, v.target, v.status])).toEqual([
      ['', '', { kind: 'at-least', value: 20000 }, 'met'],
      ['ministry-family', 'MOH', null, ''],
      ['agency', 'MOH', null, ''],
    ])
  })
})

describe('history rows', () => {
  it('publishes each whole-of-government value with its wording, unit, target and the dataset versions it came from', () => {
    const kpi = definition({
      number: 5,
      wording: 'Services that offer digital options for wet-ink signatures',
      targetText: '100%',
      target: { kind: 'at-least', value: 100 },
      breakdowns: ['agency'],
      datasets: ['digital-services-register', 'officer-training-records'],
    })
    const datasets = [
      dataset('ai-projects-register', 1),
      dataset('digital-services-register', 3),
      dataset('officer-training-records', 2),
    ]
    const rows = [
      total(2025, 60),
      { ...total(2025, 80), by: 'agency' as const, group: 'IRAS' },
      { ...total(2026, 96.5), numerator: 193, denominator: 200 },
    ]
    const about = {
      number: 5,
      wording: 'Services that offer digital options for wet-ink signatures',
      unit: 'percent',
      target: '100%',
      inputs: 'digital-services-register@v3 officer-training-records@v2',
    }
    expect(computeKpis(register({ 5: rows }, datasets), NO_RECORDS, [kpi], NOW).history).toEqual([
      {
        ...about,
        year: 2025,
        period: '2025',
        value: 60,
        status: 'missed',
        numerator: 60,
        denominator: 100,
      },
      {
        ...about,
        year: 2026,
        period: '2026',
        value: 96.5,
        status: 'on track',
        numerator: 193,
        denominator: 200,
      },
    ])
  })

  it('covers the years from 2019 to the current one, leaving out rows of any other year', () => {
    const kpi = definition({ number: 9, target: { kind: 'at-least', value: 100 } })
    const rows = [total(2018, 1), total(2019, 2), total(2026, 3), total(2027, 4)]
    const result = computeKpis(register({ 9: rows }), NO_RECORDS, [kpi], NOW)
    expect(kpiYears(NOW)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026])
    expect(result.history.map((h) => h.period)).toEqual(['2019', '2026'])
    expect(result.measured.get(9)?.map((r) => r.year)).toEqual([2019, 2026])
  })
})

describe('platform KPIs', () => {
  it('measures KPIs 12 and 14 from the sharing records and 13 from the core fields', () => {
    const records: PlatformRecords = {
      sharingRecords: [
        request({ requesterAgency: 'GOVTECH', project: 'project-a', grantWorkingDays: 2 }),
        request({ requesterAgency: 'IMDA', project: 'project-b', grantWorkingDays: 9 }),
        request({ requesterAgency: 'ICA', project: 'project-a', grantWorkingDays: 4 }),
        request({ requesterAgency: 'ICA', outcome: 'rejected', grantWorkingDays: undefined }),
      ],
      coreFields: [
        {
          dataset: 'business-register',
          agency: 'ACRA',
          column: 'uen',
          authoritySsot: 'acra',
          declaredAt: sgt('2024-02-01T00:00:00'),
          publishedAt: sgt('2025-02-01T00:00:00'),
          transmittableAt: sgt('2025-02-01T00:00:00'),
        } satisfies CoreFieldAvailability,
      ],
    }
    const result = computeKpis(register({}), records, KPI_DEFINITIONS, NOW)
    expect(result.history.map((h) => [h.number, h.period, h.value, h.status])).toEqual([
      [12, '2025', 2, 'missed'],
      [13, '2024', 0, 'missed'],
      [13, '2025', 100, 'met'],
      [13, '2026', 100, 'met'],
      [14, '2025 Q1', 4, 'met'],
    ])
    expect(
      result.values
        .filter((v) => v.by === 'ministry-family' && v.number !== 13)
        .map((v) => [v.number, v.group, v.value, v.status]),
    ).toEqual([
      [12, 'MDDI', 2, 'met'],
      [12, 'MHA', 1, 'missed'],
      [14, 'MDDI', 5.5, 'met'],
      [14, 'MHA', 4, 'met'],
    ])
    expect(result.platformRecords).toEqual({ sharingRecords: 4, coreFields: 1 })
  })
})

describe('a KPI with no data', () => {
  it('has no values and no history, and the platform KPIs are measured as empty', () => {
    const result = computeKpis(register({}), NO_RECORDS, KPI_DEFINITIONS, NOW)
    expect(result).toEqual({
      measured: new Map([
        [12, []],
        [13, []],
        [14, []],
      ]),
      values: [],
      history: [],
      platformRecords: { sharingRecords: 0, coreFields: 0 },
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  })

  it('leaves a KPI without rows out while the others are computed', () => {
    const kpis = [
      definition({ number: 1, target: { kind: 'at-least', value: 50 } }),
      definition({ number: 2, target: { kind: 'at-least', value: 50 } }),
    ]
    const result = computeKpis(register({ 2: [total(2025, 60)] }), NO_RECORDS, kpis, NOW)
    expect(result.values.map((v) => [v.number, v.year, v.status])).toEqual([[2, 2025, 'met']])
    expect([...result.measured.keys()]).toEqual([2])
  })
})

describe('content hash', () => {
  const kpi = definition({
    number: 1,
    target: { kind: 'band', low: 75, high: 80 },
    groupTarget: { kind: 'band', low: 75, high: 80 },
    breakdowns: ['agency'],
    datasets: ['digital-services-satisfaction-survey'],
  })
  const datasets = [dataset('digital-services-satisfaction-survey', 4)]
  const rows = [
    total(2025, 77),
    { ...total(2025, 70), by: 'agency' as const, group: 'CPF' },
    { ...total(2025, 82), by: 'agency' as const, group: 'IRAS' },
    total(2026, 74),
  ]
  const hashOf = (
    inputs: RegisterKpiInputs = register({ 1: rows }, datasets),
    records: PlatformRecords = NO_RECORDS,
    now: Date = NOW,
  ) => computeKpis(inputs, records, [kpi], now).contentSha256

  it('is the same for the same content, whatever order the rows came in', () => {
    expect(hashOf()).toBe(hashOf())
    expect(hashOf(register({ 1: [...rows].reverse() }, datasets))).toBe(hashOf())
  })

  it('is the same later on while no period ends and no status changes', () => {
    expect(hashOf(undefined, undefined, sgt('2026-11-30T12:00:00'))).toBe(hashOf())
  })

  it('changes with a value, a dataset version, the platform records read, or a period ending', () => {
    const changed = [
      hashOf(register({ 1: [...rows.slice(0, 3), total(2026, 74.5)] }, datasets)),
      hashOf(register({ 1: rows }, [dataset('digital-services-satisfaction-survey', 5)])),
      hashOf(undefined, { sharingRecords: [request({ outcome: 'rejected' })], coreFields: [] }),
      hashOf(undefined, undefined, sgt('2027-01-01T00:00:00')),
    ]
    expect(new Set([hashOf(), ...changed]).size).toBe(5)
  })

  it('hashes the dataset versions, record counts and values in the shape kpi_values keeps them', () => {
    const one = register({ 1: [total(2025, 77)] }, datasets)
    const kept = {
      inputs: [
        {
          slug: 'digital-services-satisfaction-survey',
          version: 4,
          contentSha256: 'digital-services-satisfaction-survey-v4-sha',
        },
      ],
      platformRecords: { sharingRecords: 0, coreFields: 0 },
      values: [
        {
          number: 1,
          year: 2025,
          quarter: 0,
          breakdown: '',
          member: '',
          value: 77,
          numerator: 77,
          denominator: 100,
          target: '{"kind":"band","low":75,"high":80}',
          status: 'met',
          closed: true,
        },
      ],
    }
    expect(hashOf(one)).toBe(createHash('sha256').update(canonicalJson(kept)).digest('hex'))
  })
})
