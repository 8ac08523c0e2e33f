/** What a value is broken down by: nothing (the whole government), Ministry family, or agency. */
export type KpiBreakdown = '' | 'ministry-family' | 'agency'

/**
 * One computed value of a KPI: a year (or one of its quarters), for the whole government (`by`
 * and `group` empty) or one Ministry family or agency.
 */
export interface KpiRow {
  year: number
  /** 1–4 for a quarterly KPI; 0 for a whole year. */
  quarter: number
  by: KpiBreakdown
  group: string
  value: number
  numerator: number
  denominator: number
}

/** How a period reads: `2025`, or `2025 Q3`. */
export const periodLabel = (year: number, quarter: number) =>
  quarter ? `${year} Q${quarter}` : String(year)
