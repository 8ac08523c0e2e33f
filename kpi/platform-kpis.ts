import type { CoreFieldAvailability, SharingRecord } from '../access/index.js'
import { ministryFamilyOf, singaporeDay } from '../reference/index.js'
import type { KpiBreakdown, KpiRow } from './kpi-row.js'

/** The Singapore calendar year of an instant. */
export const yearOf = (at: Date) => Number(singaporeDay(at).slice(0, 4))
/** The first instant after a Singapore calendar year. */
export const endOfYear = (year: number) => new Date(`${year + 1}-01-01T00:00:00+08:00`)
/** The first instant after a period: a Singapore calendar year, or one of its quarters. */
export const endOfPeriod = (year: number, quarter: number) =>
  quarter === 0 || quarter === 4
    ? endOfYear(year)
    : new Date(`${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01T00:00:00+08:00`)
/** The Singapore quarter (1–4) of an instant. */
export const quarterOf = (at: Date) => Math.ceil(Number(singaporeDay(at).slice(5, 7)) / 3)

const familyOf = (agency: string) => ministryFamilyOf(agency) ?? 'OTHER'

/**
 * Rows for every year: for the whole government, and per Ministry family and per agency, of the
 * items each group holds.
 */
function perYearAndGroup<T>(
  items: readonly T[],
  period: (item: T) => { year: number; quarter: number },
  agency: (item: T) => string,
  measure: (items: readonly T[]) => Omit<KpiRow, 'year' | 'quarter' | 'by' | 'group'> | undefined,
): KpiRow[] {
  const groups = new Map<
    string,
    { year: number; quarter: number; by: KpiBreakdown; group: string; items: T[] }
  >()
  for (const item of items) {
    const { year, quarter } = period(item)
    const keys: [KpiBreakdown, string][] = [
      ['', ''],
      ['ministry-family', familyOf(agency(item))],
      ['agency', agency(item)],
    ]
    for (const [by, group] of keys) {
      const key = `${year}|${quarter}|${by}|${group}`
      const found = groups.get(key) ?? { year, quarter, by, group, items: [] }
      found.items.push(item)
      groups.set(key, found)
    }
  }
  return [...groups.values()].flatMap((g) => {
    const measured = measure(g.items)
    return measured
      ? [{ year: g.year, quarter: g.quarter, by: g.by, group: g.group, ...measured }]
      : []
  })
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The KPIs measured from the sharing records. */
export type SharingKpi = 12 | 14

export const isSharingKpi = (number: number): number is SharingKpi => number === 12 || number === 14

/**
 * The sharing records a KPI counts: approved cross-agency requests (KPI 12); of those, the ones
 * whose grant's working days are known (KPI 14). The one rule both the values and the list of
 * counted requests follow.
 */
export function countedSharingRecords(
  number: SharingKpi,
  records: readonly SharingRecord[],
): SharingRecord[] {
  const approved = records.filter((r) => r.crossAgency && r.outcome === 'approved')
  return number === 12 ? approved : approved.filter((r) => r.grantWorkingDays !== undefined)
}

/** The period a counted record falls in: the year (KPI 12) or quarter (KPI 14) of its decision. */
export const sharingPeriodOf = (number: SharingKpi, record: SharingRecord) => ({
  year: yearOf(record.decidedAt),
  quarter: number === 12 ? 0 : quarterOf(record.decidedAt),
})

/**
 * KPI 12: distinct projects with an approved cross-agency request decided in the year, by the
 * requesting agency and its Ministry family. The denominator is the number of such requests.
 */
export function highImpactProjects(records: readonly SharingRecord[]): KpiRow[] {
  return perYearAndGroup(
    countedSharingRecords(12, records),
    (r) => sharingPeriodOf(12, r),
    (r) => r.requesterAgency,
    (group) => {
      const projects = new Set(group.flatMap((r) => (r.project ? [r.project] : [])))
      return { value: projects.size, numerator: projects.size, denominator: group.length }
    },
  )
}

/**
 * KPI 14: median working days from submission to grant of approved cross-agency requests
 * decided in each quarter; the numerator counts those granted within 7 working days.
 */
export function timeToShare(records: readonly SharingRecord[]): KpiRow[] {
  return perYearAndGroup(
    countedSharingRecords(14, records),
    (r) => sharingPeriodOf(14, r),
    (r) => r.requesterAgency,
    (group) => {
      const days = group.map((r) => r.grantWorkingDays as number)
      return {
        value: median(days),
        numerator: days.filter((d) => d <= 7).length,
        denominator: days.length,
      }
    },
  )
}

/**
 * KPI 13: of the core data fields declared in the catalogue by the end of each year, the share
 * machine-readable and transmittable by API by then; by the owning agency and its Ministry family.
 */
export function coreFieldsByApi(
  fields: readonly CoreFieldAvailability[],
  years: readonly number[],
): KpiRow[] {
  const perYear = years.flatMap((year) =>
    fields
      .filter((f) => f.declaredAt < endOfYear(year))
      .map((f) => ({
        year,
        agency: f.agency,
        ready: f.transmittableAt !== undefined && f.transmittableAt < endOfYear(year),
      })),
  )
  return perYearAndGroup(
    perYear,
    (f) => ({ year: f.year, quarter: 0 }),
    (f) => f.agency,
    (group) => {
      const ready = group.filter((f) => f.ready).length
      return { value: (100 * ready) / group.length, numerator: ready, denominator: group.length }
    },
  )
}
