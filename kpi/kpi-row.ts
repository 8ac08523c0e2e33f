/** What a value is broken down by: nothing (the whole government), Ministry family, or agency. */
export type KpiBreakdown = '' | 'ministry-family' | 'agency'

/**
 * One computed value of a KPI: a year, for the whole government (`by` and `group` empty) or one
 * Ministry family or agency.
 */
export interface KpiRow {
  year: number
  by: KpiBreakdown
  group: string
  value: number
  numerator: number
  denominator: number
}
