import type { PersonalDataKind } from '../../catalog/index.js'

/** DuckDB types a feed column may be cast to. */
export type ColumnType = 'VARCHAR' | 'DATE' | 'TIMESTAMPTZ' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN'

/** A check on a typed value beyond its type; failing rows are quarantined with the reason. */
export type ValueRule =
  | { kind: 'uinfin' }
  | { kind: 'uen' }
  | { kind: 'ssic' }
  | { kind: 'postal-code' }
  | { kind: 'one-of'; values: readonly string[] }
  | { kind: 'range'; min: number; max: number }

export interface FeedColumn {
  name: string
  type: ColumnType
  required: boolean
  /**
   * Applied before typing: `trim` drops surrounding blanks; `trim-upper` also upper-cases;
   * `pad-digits` restores leading zeros a spreadsheet dropped (to `padTo` digits).
   */
  normalize?: 'trim' | 'trim-upper' | 'pad-digits'
  padTo?: number
  rule?: ValueRule
  description: string
  personalData: PersonalDataKind
}

/** What an SSOT promises to deliver: columns in order, their types, rules and keys. */
export interface FeedContract {
  id: string
  version: number
  /** The agency that owns the data (the Single Source of Truth). */
  ssot: string
  trustedCentre: string
  title: string
  /** Each delivery replaces the previous one (snapshot) or changes it (delta). */
  delivery: 'snapshot' | 'delta'
  key: readonly string[]
  columns: readonly FeedColumn[]
  /** Checks across columns of a row, as SQL over the typed columns; failing rows are quarantined. */
  rowRules?: readonly RowRule[]
}

export interface RowRule {
  name: string
  /** Holds for a good row; NULL counts as good (missing values are the columns' business). */
  condition: string
  reason: string
}

/**
 * Compares a delivery's header with the contract; returns why it does not match, or undefined.
 * Columns are read by position, so the order must match too. The reason names only the
 * contract's columns and counts: every officer reads it (the run, its lineage event), and the
 * first line of a wrong file may be anything, even data; the line itself is kept apart.
 */
export function headerMismatch(
  contract: FeedContract,
  header: readonly string[],
): string | undefined {
  const expected = contract.columns.map((c) => c.name)
  const missing = expected.filter((name) => !header.includes(name))
  const unexpected = header.filter((name) => !expected.includes(name)).length
  const problems: string[] = []
  if (expected.length !== header.length)
    problems.push(`expected ${expected.length} columns, found ${header.length}`)
  if (missing.length > 0) problems.push(`missing columns: ${missing.join(', ')}`)
  if (unexpected > 0)
    problems.push(`${unexpected} ${unexpected === 1 ? 'column' : 'columns'} not in the contract`)
  if (problems.length === 0 && expected.join(',') !== header.join(',')) {
    problems.push(`columns out of order: expected ${expected.join(', ')}`)
  }
  return problems.length > 0
    ? `Header of the ${contract.id} delivery does not match contract v${contract.version}: ${problems.join('; ')}`
    : undefined
}
