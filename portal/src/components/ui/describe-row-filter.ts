/** A condition rows must meet to be shared, as the API sends it (access/grant-json.ts). */
export type RowCondition =
  | { column: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { column: string; op: 'in'; values: readonly (string | number)[] }

const COMPARISONS = {
  eq: 'is',
  ne: 'is not',
  lt: 'is below',
  lte: 'is at most',
  gt: 'is above',
  gte: 'is at least',
} as const

/** Values as a person lists them: "CR", "CR or ER", "CR, ER or WR". */
function oneOf(values: readonly (string | number)[]): string {
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
