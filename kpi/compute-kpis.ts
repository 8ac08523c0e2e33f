import { createHash } from 'node:crypto'
import type { CoreFieldAvailability, SharingRecord } from '../access/index.js'
import { canonicalJson } from '../text/index.js'
import type { KpiInput } from './kpi-computation.js'
import type { KpiDefinition, KpiTarget } from './kpi-definition.js'
import { type KpiRow, periodLabel } from './kpi-row.js'
import { type KpiStatus, kpiStatus } from './kpi-status.js'
import {
  coreFieldsByApi,
  endOfPeriod,
  highImpactProjects,
  timeToShare,
  yearOf,
} from './platform-kpis.js'

// kpi/routes.ts takes the engine's type from this file, where the engine was first written.
export type { KpiEngine } from './kpi-computation.js'

/** The first full year of the Digital Government Blueprint (launched June 2018). */
export const KPI_FIRST_YEAR = 2019

/** The years a computation at `now` covers: from KPI_FIRST_YEAR to the current Singapore year. */
export function kpiYears(now: Date): number[] {
  return Array.from({ length: yearOf(now) - KPI_FIRST_YEAR + 1 }, (_, i) => KPI_FIRST_YEAR + i)
}

/** What the register KPIs were computed from: the dataset versions, and what their SQL returned. */
export interface RegisterKpiInputs {
  /** The current version of each KPI dataset published so far. */
  datasets: readonly KpiInput[]
  /** Each register KPI's rows (any year) by KPI number; none for a KPI not computed. */
  rows: ReadonlyMap<number, readonly KpiRow[]>
}

/** The platform's own records the platform-measured KPIs read. */
export interface PlatformRecords {
  /** The access workflow's decided requests since KPI_FIRST_YEAR (KPIs 12 and 14). */
  sharingRecords: readonly SharingRecord[]
  /** The core data fields declared in the catalogue (KPI 13). */
  coreFields: readonly CoreFieldAvailability[]
}

/** A value as it is kept: a KPI's row, the target it is held to, and its status. */
export interface KpiValue extends KpiRow {
  number: number
  /** Null: a breakdown of a count, which has no target of its own. */
  target: KpiTarget | null
  /** '' where there is no target. */
  status: KpiStatus | ''
  /** Whether the value's period had ended. */
  closed: boolean
}

/** A row of the KPI history dataset (the columns of KPI_HISTORY_DATASET). */
export interface KpiHistoryRow {
  number: number
  wording: string
  year: number
  period: string
  value: number
  unit: KpiDefinition['unit']
  target: string
  status: KpiStatus | ''
  numerator: number
  denominator: number
  /** The dataset versions the value was computed from: `slug@vN`, space-separated. */
  inputs: string
}

/** What one computation found. */
export interface ComputedKpis {
  /** Each KPI's rows as measured, by KPI number, for the years from KPI_FIRST_YEAR to now. */
  measured: Map<number, KpiRow[]>
  /** The values to keep: every whole-of-government value and each of the KPI's breakdowns. */
  values: KpiValue[]
  /** The whole-of-government values, as the KPI history dataset publishes them. */
  history: KpiHistoryRow[]
  /** How many platform records of each kind were read. */
  platformRecords: { sharingRecords: number; coreFields: number }
  /** Of the dataset versions, platform record counts and values: equal means nothing changed. */
  contentSha256: string
}

/** How each platform-measured KPI is measured from the platform's records. */
const PLATFORM_KPIS: Readonly<
  Record<number, (records: PlatformRecords, years: readonly number[]) => KpiRow[]>
> = {
  12: (records) => highImpactProjects(records.sharingRecords),
  13: (records, years) => coreFieldsByApi(records.coreFields, years),
  14: (records) => timeToShare(records.sharingRecords),
}

/**
 * Computes the KPIs of `definitions` as of `now`, for every year from KPI_FIRST_YEAR: the register
 * KPIs from the rows their SQL returned, the platform KPIs from the platform's records; judges each
 * value against its target, and hashes what was read and found.
 * @example computeKpis({ datasets, rows }, { sharingRecords, coreFields }, KPI_DEFINITIONS, now)
 */
export function computeKpis(
  inputs: RegisterKpiInputs,
  records: PlatformRecords,
  definitions: readonly KpiDefinition[],
  now: Date,
): ComputedKpis {
  const years = kpiYears(now)
  const measured = new Map<number, KpiRow[]>()
  for (const definition of definitions) {
    const rows = inputs.rows.get(definition.number)
    if (rows)
      measured.set(
        definition.number,
        rows.filter((r) => years.includes(r.year)),
      )
  }
  for (const definition of definitions) {
    const measure = PLATFORM_KPIS[definition.number]
    if (measure && definition.source === 'platform')
      measured.set(definition.number, measure(records, years))
  }
  const judged = definitions.map((definition) => ({
    definition,
    values: judgeValues(definition, measured.get(definition.number) ?? [], now),
  }))
  const values = judged.flatMap((j) => j.values)
  const history = judged.flatMap(({ definition, values }) =>
    values.filter((v) => v.by === '').map((v) => historyRow(definition, v, inputs.datasets)),
  )
  const platformRecords = {
    sharingRecords: records.sharingRecords.length,
    coreFields: records.coreFields.length,
  }
  return {
    measured,
    values,
    history,
    platformRecords,
    contentSha256: hashContent(inputs.datasets, platformRecords, values),
  }
}

/**
 * A KPI's rows as kept: the whole-of-government rows and those of its breakdowns, each with the
 * target it is held to (the group target for a breakdown) and its status.
 */
function judgeValues(definition: KpiDefinition, rows: readonly KpiRow[], now: Date): KpiValue[] {
  return rows
    .filter((row) => row.by === '' || definition.breakdowns.includes(row.by))
    .map((row) => {
      const closed = endOfPeriod(row.year, row.quarter) <= now
      const target = (row.by ? definition.groupTarget : definition.target) ?? null
      return {
        number: definition.number,
        year: row.year,
        quarter: row.quarter,
        by: row.by,
        group: row.group,
        value: row.value,
        numerator: row.numerator,
        denominator: row.denominator,
        target,
        status: target ? kpiStatus(definition, row.value, closed, target) : '',
        closed,
      }
    })
}

function historyRow(
  definition: KpiDefinition,
  value: KpiValue,
  datasets: readonly KpiInput[],
): KpiHistoryRow {
  return {
    number: definition.number,
    wording: definition.wording,
    year: value.year,
    period: periodLabel(value.year, value.quarter),
    value: value.value,
    unit: definition.unit,
    target: definition.targetText,
    status: value.status,
    numerator: value.numerator,
    denominator: value.denominator,
    inputs: datasets
      .filter((i) => definition.datasets.includes(i.slug))
      .map((i) => `${i.slug}@v${i.version}`)
      .join(' '),
  }
}

/**
 * The hash of what a computation read and found. Values are hashed in the shape `kpi_values`
 * keeps them (target as JSON text), so the hashes of computations already kept still compare.
 */
function hashContent(
  datasets: readonly KpiInput[],
  platformRecords: ComputedKpis['platformRecords'],
  values: readonly KpiValue[],
): string {
  const kept = values.map((v) => ({
    number: v.number,
    year: v.year,
    quarter: v.quarter,
    breakdown: v.by,
    member: v.group,
    value: v.value,
    numerator: v.numerator,
    denominator: v.denominator,
    target: v.target ? JSON.stringify(v.target) : null,
    status: v.status,
    closed: v.closed,
  }))
  const content = {
    inputs: datasets.map(({ slug, version, contentSha256 }) => ({ slug, version, contentSha256 })),
    platformRecords,
    // In a fixed order: DuckDB returns grouping sets in whatever order its threads finish.
    values: kept.sort((a, b) =>
      `${a.number}|${a.year}|${a.quarter}|${a.breakdown}|${a.member}`.localeCompare(
        `${b.number}|${b.year}|${b.quarter}|${b.breakdown}|${b.member}`,
      ),
    ),
  }
  return createHash('sha256').update(canonicalJson(content)).digest('hex')
}
