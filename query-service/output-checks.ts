/**
 * Statistical disclosure control of aggregate answers, as trusted research environments check
 * outputs (OpenSAFELY, SACRO/ACRO): an answer leaves the sandbox only if every cell counts enough
 * people, no one dominates a sum or mean, and no cell differs from an earlier released one by a
 * handful of people. A refusal names the rule and the cells.
 */

export interface OutputRules {
  /** People every cell (and every aggregate's contributors) must count at least. */
  minCount: number
  /** The p% rule: the rest of a magnitude cell must be at least p% of its largest contribution. */
  dominanceP: number
}

export interface CheckedCell {
  /** The cell's grouping values, as people read them. */
  name: string
  units: number
  /** Per aggregate: people contributing (non-null, and non-zero for sums and means). */
  contributors: number[]
  /** Per magnitude aggregate: the total of people's absolute contributions and the largest two. */
  magnitudes: ({ aggregate: string; total: number; top: number[] } | undefined)[]
}

/** A cell of this answer that differs from a cell released earlier by fewer than minCount people. */
export interface Difference {
  cell: string
  earlier: { query: string; cell: string }
  people: number
}

export interface Violation {
  rule: 'minimum count' | 'dominance' | 'differencing'
  cells: string[]
}

const MAX_NAMED = 10

/** What the rules find wrong with an answer's cells (nothing: it may be released). */
export function checkCells(
  cells: readonly CheckedCell[],
  rules: OutputRules,
  differences: readonly Difference[] = [],
): Violation[] {
  const violations: Violation[] = []
  const small = cells.filter(
    (c) => c.units < rules.minCount || c.contributors.some((n) => n > 0 && n < rules.minCount),
  )
  if (small.length > 0)
    violations.push({
      rule: 'minimum count',
      cells: small.map(
        (c) => `${c.name} (${Math.min(c.units, ...c.contributors.filter((n) => n > 0))} people)`,
      ),
    })
  const dominated = cells.flatMap((c) =>
    c.magnitudes.flatMap((m) => {
      if (!m || m.total === 0) return []
      const [first = 0, second = 0] = m.top
      const rest = m.total - first - second
      return rest < (rules.dominanceP / 100) * first ? [`${c.name} (${m.aggregate})`] : []
    }),
  )
  if (dominated.length > 0) violations.push({ rule: 'dominance', cells: dominated })
  if (differences.length > 0)
    violations.push({
      rule: 'differencing',
      cells: differences.map(
        (d) =>
          `${d.cell} differs from ${d.earlier.cell} of your query ${d.earlier.query} by ${d.people} ${d.people === 1 ? 'person' : 'people'}`,
      ),
    })
  return violations
}

/** The refusal people read: each rule broken, with the cells that broke it. */
export function refusalMessage(violations: readonly Violation[], rules: OutputRules): string {
  const explain = {
    'minimum count': `every cell must count at least ${rules.minCount} people`,
    dominance: `no one or two people may make up more than the rest of a sum or mean allows (p% rule, p = ${rules.dominanceP})`,
    differencing: `no cell may differ from one released earlier by fewer than ${rules.minCount} people`,
  }
  const parts = violations.map((v) => {
    const named = v.cells.slice(0, MAX_NAMED).join('; ')
    const more = v.cells.length > MAX_NAMED ? `; and ${v.cells.length - MAX_NAMED} more` : ''
    return `${v.rule}: ${explain[v.rule]}: ${named}${more}`
  })
  return `The answer did not pass output checks (this grant is for aggregates only). ${parts.join('. ')}. Group more broadly or widen the filter, and ask again.`
}
