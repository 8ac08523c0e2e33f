/**
 * Statistical disclosure control of aggregate answers, as trusted research environments check
 * outputs (OpenSAFELY, SACRO/ACRO): an answer leaves the sandbox only if every cell counts enough
 * people, no one dominates a sum or mean, and neither a cell nor the whole answer differs from
 * one released before by a handful of people or rows. A refusal names each rule broken and the
 * grouping, never a cell, a value or a count (not even of cells): which cells exist, and how
 * small they are, is itself what the checks protect.
 */

export interface OutputRules {
  /** People every cell (and every aggregate's contributors) must count at least. */
  minCount: number
  /** The p% rule: the rest of a magnitude cell must be at least p% of its largest contribution. */
  dominanceP: number
}

export interface CheckedCell {
  units: number
  /** Per measure: people contributing (non-null, and non-zero for sums and means). */
  contributors: number[]
  /** Per sum or mean: people's absolute contributions in total, and the largest two. */
  magnitudes: ({ measure: string; total: number; top: number[] } | undefined)[]
}

/** An earlier answer that this one's cells (or whole) differ from by fewer than minCount. */
export interface Difference {
  earlierQuery: string
}

export interface Violation {
  rule: 'minimum count' | 'dominance' | 'differencing'
  /** What broke it, in words that name no value and no count of people. */
  what: string
}

/** What the rules find wrong with an answer (nothing: it may be released). */
export function checkCells(
  cells: readonly CheckedCell[],
  rules: OutputRules,
  groups: readonly string[],
  differences: readonly Difference[] = [],
): Violation[] {
  const violations: Violation[] = []
  // A measure's contributors, and the people of the cell without a value for it, are small
  // groups of their own: each must be none or at least minCount. An answer with no cell at all
  // (nobody matched) is refused as a small one would be, so the two cannot be told apart.
  const small = (n: number) => n > 0 && n < rules.minCount
  const failing = cells.filter(
    (c) => c.units < rules.minCount || c.contributors.some((n) => small(n) || small(c.units - n)),
  )
  const grouped = groups.length > 0 ? `cells grouped by ${groups.join(', ')}` : 'the answer'
  if (failing.length > 0 || cells.length === 0)
    violations.push({ rule: 'minimum count', what: grouped })
  const dominated = new Set<string>()
  for (const c of cells)
    for (const m of c.magnitudes) {
      if (!m || m.total === 0) continue
      const [first = 0, second = 0] = m.top
      if (m.total - first - second < (rules.dominanceP / 100) * first) dominated.add(m.measure)
    }
  if (dominated.size > 0) violations.push({ rule: 'dominance', what: [...dominated].join(', ') })
  if (differences.length > 0)
    violations.push({
      rule: 'differencing',
      what: `this answer or one of its cells, against your ${[...new Set(differences.map((d) => d.earlierQuery))].join(', ')}`,
    })
  return violations
}

/** The refusal people read: each rule broken, and what broke it. */
export function refusalMessage(violations: readonly Violation[], rules: OutputRules): string {
  const explain = {
    'minimum count': `every cell must count at least ${rules.minCount} people, and so must every sum, mean and count of a column in it`,
    dominance: `no one or two people may make up so much of a sum or mean that the rest is under ${rules.dominanceP}% of the largest (p% rule)`,
    differencing: `no cell, nor the whole answer, may differ from one released to you before by fewer than ${rules.minCount} people or rows`,
  }
  const parts = violations.map((v) => `${v.rule} (${explain[v.rule]}): ${v.what}`)
  return `The answer did not pass output checks (this grant is for aggregates only). ${parts.join('. ')}. Group more broadly or filter less narrowly, and ask again.`
}
