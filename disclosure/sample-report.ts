import type { ColumnAssessment, Treatment } from './assess-columns.js'

/**
 * What a published sample says of itself, on the dataset page, beside its preview and inside
 * every download: how each column was treated and generalised, how many rows were suppressed,
 * the k and l reached and the information lost.
 */
export interface SampleReport {
  method: string
  /** k asked for and the smallest class reached. */
  k: number
  kReached: number
  /** l asked for (distinct sensitive values per class) and the least reached; null if none. */
  l: number
  lReached: number | null
  drawnRows: number
  rows: number
  suppressedRows: number
  maxSuppressedRows: number
  /** Normalised certainty penalty over the generalised columns, 0 (none lost) to 1 (all). */
  informationLoss: number
  /** The levels the steward asked to keep, and whether k allowed them. */
  keep: Record<string, string>
  keptAsAsked: boolean
  lattice: { nodes: number; evaluated: number }
  hierarchies: { name: string; columns: string[]; level: string; levels: string[] }[]
  columns: SampleColumnReport[]
}

export interface SampleColumnReport {
  name: string
  declared: ColumnAssessment['declared']
  treatment: Treatment
  /** The level a generalised column is shown at ('as published' if not coarsened). */
  shownAs?: string
  reasons: string[]
  suggestion?: ColumnAssessment['suggestion']
}

export const SAMPLE_METHOD =
  'Global recoding over the lattice of generalisation hierarchies (geography, ages, dates, declared groups, ranges), choosing the node with the least normalised certainty penalty that gives every combination of non-measure columns at least k rows and every sensitive column at least l distinct values within each class of the others, suppressing at most a bounded share of rows; direct identifiers replaced by pseudonyms that hold within this sample only.'

/** One line per generalised or masked column, as the portal and README file show them. */
export function describeSample(report: SampleReport): string[] {
  const lines = [
    `k = ${report.kReached} reached (at least ${report.k} asked)${report.lReached === null ? '' : `, l = ${report.lReached} (at least ${report.l})`}; ${report.suppressedRows} of ${report.drawnRows} drawn rows suppressed; information loss ${(report.informationLoss * 100).toFixed(1)}%.`,
  ]
  for (const c of report.columns) {
    if (c.treatment === 'masked') lines.push(`${c.name}: masked (${c.reasons.join('; ')})`)
    else if (c.shownAs && c.shownAs !== 'as published')
      lines.push(`${c.name}: generalised to ${c.shownAs}`)
  }
  return lines
}
