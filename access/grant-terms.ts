import type { AccessScope, RowCondition } from './access-request.js'

const COMPARISONS = {
  eq: 'is',
  ne: 'is not',
  lt: 'is below',
  lte: 'is at most',
  gt: 'is above',
  gte: 'is at least',
} as const

/** Values as a person lists them: "CR", "CR or ER", "CR, ER or WR". */
export function oneOf(values: readonly (string | number)[]): string {
  const words = values.map(String)
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
}

/**
 * A grant's row filter in words, every condition holding at once:
 * "region_code is CR or ER and age is at least 18". Empty when every row is shared.
 */
export function describeRowFilter(conditions: readonly RowCondition[]): string {
  return conditions
    .map((c) =>
      c.op === 'in'
        ? `${c.column} is ${oneOf(c.values)}`
        : `${c.column} ${COMPARISONS[c.op]} ${c.value}`,
    )
    .join(' and ')
}

const DAY = new Intl.DateTimeFormat('en-SG', { dateStyle: 'medium', timeZone: 'Asia/Singapore' })

/** A day in the portal's one style, in Singapore: "31 Mar 2027". */
export const dayInWords = (at: Date): string => DAY.format(at)

/** What a grant shares, as its notice says it. */
export interface TermsToDescribe {
  scope: AccessScope
  /** Undefined: every column. */
  columns: string[] | undefined
  rowFilter: readonly RowCondition[]
  inClear: readonly string[]
  expiresAt: Date
  /** The dataset's direct identifiers: those granted and not in clear are masked. */
  directIdentifiers: readonly string[]
}

/**
 * A grant's terms in sentences, for the approval notice: "Columns: all. Rows where region_code
 * is CR or ER. In clear: nric; masked: name. Until 31 Mar 2027."
 */
export function describeGrantTerms(terms: TermsToDescribe): string {
  const { columns, inClear } = terms
  const rows = describeRowFilter(terms.rowFilter)
  const masked = terms.directIdentifiers.filter(
    (c) => (!columns || columns.includes(c)) && !inClear.includes(c),
  )
  const identifiers = [
    ...(inClear.length > 0 ? [`in clear: ${inClear.join(', ')}`] : []),
    ...(masked.length > 0 ? [`masked: ${masked.join(', ')}`] : []),
  ].join('; ')
  return [
    terms.scope === 'aggregates' ? 'Aggregates only, each answer checked before release' : '',
    `Columns: ${columns ? columns.join(', ') : 'all'}`,
    rows ? `Rows where ${rows}` : 'Rows: all',
    identifiers && identifiers[0]?.toUpperCase() + identifiers.slice(1),
    `Until ${dayInWords(terms.expiresAt)}`,
  ]
    .filter(Boolean)
    .map((sentence) => `${sentence}.`)
    .join(' ')
}
