import type { StoredComputation } from './kpi-computation.js'
import type { KpiDefinition } from './kpi-definition.js'
import type { StoredKpiValue } from './kpi-reads.js'
import { periodLabel } from './kpi-row.js'
import { endOfPeriod, quarterOf, yearOf } from './platform-kpis.js'

/** A period of a KPI up to the present: its value, or why there is none. */
export interface KpiPeriod {
  year: number
  /** 1–4 for a quarterly KPI; 0 for a whole year. */
  quarter: number
  period: string
  /** Null: no value for the period (see `reason`). */
  value: number | null
  status: string | null
  /** Why the value is missing, or that the period is still running; null for an ended period's value. */
  reason: string | null
}

const startOfPeriod = (year: number, quarter: number) =>
  new Date(`${year}-${String(quarter ? quarter * 3 - 2 : 1).padStart(2, '0')}-01T00:00:00+08:00`)

const next = (definition: KpiDefinition, p: { year: number; quarter: number }) =>
  definition.period === 'year' || p.quarter === 4
    ? { year: p.year + 1, quarter: definition.period === 'year' ? 0 : 1 }
    : { year: p.year, quarter: p.quarter + 1 }

const before = (a: { year: number; quarter: number }, b: { year: number; quarter: number }) =>
  a.year < b.year || (a.year === b.year && a.quarter <= b.quarter)

/**
 * Every period of a KPI from its first value to the current one (Singapore time), each with its
 * value, or a null value and the reason there is none; a period still running says its value is
 * so far. A KPI with no value at all lists the current period alone.
 * @example periodsToNow(definition, totals, computation, new Date())
 */
export function periodsToNow(
  definition: KpiDefinition,
  totals: readonly StoredKpiValue[],
  computation: Pick<StoredComputation, 'computedAt' | 'inputs'> | undefined,
  now: Date,
): KpiPeriod[] {
  const current = {
    year: yearOf(now),
    quarter: definition.period === 'quarter' ? quarterOf(now) : 0,
  }
  const byPeriod = new Map(totals.map((v) => [periodLabel(v.year, v.quarter), v]))
  const periods: KpiPeriod[] = []
  for (let p = totals[0] ?? current; before(p, current); p = next(definition, p)) {
    const period = periodLabel(p.year, p.quarter)
    const found = byPeriod.get(period)
    const running = endOfPeriod(p.year, p.quarter) > now
    periods.push({
      year: p.year,
      quarter: p.quarter,
      period,
      value: found?.value ?? null,
      status: found?.status ?? null,
      reason: found
        ? running
          ? `${definition.period === 'quarter' ? 'Quarter' : 'Year'} in progress: value so far`
          : null
        : missingReason(definition, { ...p, period, running }, computation),
    })
  }
  return periods
}

/** Why a KPI has no value for a period, in words a leader reads. */
function missingReason(
  definition: KpiDefinition,
  p: { year: number; quarter: number; period: string; running: boolean },
  computation: Pick<StoredComputation, 'computedAt' | 'inputs'> | undefined,
): string {
  if (!computation) return 'Not computed yet'
  if (startOfPeriod(p.year, p.quarter) > computation.computedAt)
    return `Not computed since ${p.period} began`
  const yet = p.running ? ' so far' : ''
  if (definition.records === 'sharingRecords')
    return definition.number === 12
      ? `No cross-agency request was approved in ${p.period}${yet}, so no project is counted`
      : `No cross-agency request was approved in ${p.period}${yet}`
  if (definition.records === 'coreFields')
    return `No core data field was declared in the catalogue by ${p.period}`
  const unpublished = definition.datasets.filter(
    (slug) => !computation.inputs.some((i) => i.slug === slug),
  )
  if (unpublished.length > 0)
    return `Not published yet: ${unpublished.map((slug) => slug.replaceAll('-', ' ')).join(', ')}`
  const held = computation.inputs
    .filter((i) => definition.datasets.includes(i.slug))
    .map((i) => `${i.title} (version ${i.version})`)
  return `No records for ${p.period} in ${held.join(' or ')} yet`
}
