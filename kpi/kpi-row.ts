/** One computed value of a KPI: a year, for all (`family` = '') or one Ministry family. */
export interface KpiRow {
  year: number
  family: string
  value: number
  numerator: number
  denominator: number
}
