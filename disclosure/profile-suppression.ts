/** One bar of a column's histogram; `rows` is null when withheld (see `suppressBars`). */
export interface HistogramBin {
  label: string
  rows: number | null
}

/** A histogram bar or a value's group with its true count, before anything is withheld. */
export interface CountedBar {
  label: string
  rows: number
}

/** The bar standing for every level value fewer than k rows carry: their labels are never shown. */
export const OTHER_VALUES = 'other values'

/**
 * Withholds every bar under k, and then, while any is withheld, the next smallest shown bars
 * until at least two are withheld and they hold at least k rows together, so that subtracting
 * the shown bars from the rows counted never yields a withheld bar's count.
 * `withheldByRule` marks bars withheld whatever their count (the merged bar of rare values).
 */
export function suppressBars(
  bars: readonly CountedBar[],
  k: number,
  withheldByRule: (bar: CountedBar) => boolean = () => false,
): HistogramBin[] {
  const withheld = new Set(bars.flatMap((b, i) => (b.rows < k || withheldByRule(b) ? [i] : [])))
  const shownSmallestFirst = bars
    .map((b, i) => ({ rows: b.rows, i }))
    .filter(({ i }) => !withheld.has(i))
    .sort((a, b) => a.rows - b.rows || a.i - b.i)
  const total = () => [...withheld].reduce((sum, i) => sum + (bars[i]?.rows ?? 0), 0)
  for (const next of shownSmallestFirst) {
    if (withheld.size === 0 || (withheld.size >= 2 && total() >= k)) break
    withheld.add(next.i)
  }
  return bars.map((b, i) => ({ label: b.label, rows: withheld.has(i) ? null : b.rows }))
}

/** What a column shown at a sample level may show of its groups (in the level's order). */
export interface LevelledValues {
  min: string | null
  max: string | null
  topValues: { value: string; rows: number }[]
  rareRows: number
  histogram: HistogramBin[] | null
}

/**
 * Top values, range and histogram of a column's groups at a sample level, all from one
 * suppression: groups under k are merged into one unlabelled bar, the smallest other groups
 * withheld beside it as `suppressBars` asks, withheld groups left out of the top values, and
 * `rareRows` counting every row withheld (so it is at least k, or none).
 */
export function suppressLevels(
  groups: readonly CountedBar[],
  k: number,
  options: { personal: boolean; topValues: number; histogram: boolean; maxBars: number },
): LevelledValues {
  const rare = groups.filter((g) => g.rows < k)
  const frequent = groups.filter((g) => g.rows >= k)
  const rareTotal = rare.reduce((sum, g) => sum + g.rows, 0)
  const bars: CountedBar[] = [
    ...frequent,
    ...(rare.length > 0 ? [{ label: OTHER_VALUES, rows: rareTotal }] : []),
  ]
  const isOther = (b: CountedBar) => rare.length > 0 && b === bars[bars.length - 1]
  const suppressed = suppressBars(bars, k, isOther)
  const shown = frequent.filter((_, i) => suppressed[i]?.rows !== null)
  const hiddenRows = groups.reduce((sum, g) => sum + g.rows, 0) - sum(shown)
  const ranged = options.personal ? frequent : groups
  return {
    min: ranged[0]?.label ?? null,
    max: ranged[ranged.length - 1]?.label ?? null,
    topValues: [...shown]
      .sort((a, b) => b.rows - a.rows || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .slice(0, options.topValues)
      .map((g) => ({ value: g.label, rows: g.rows })),
    rareRows: hiddenRows,
    histogram:
      options.histogram && groups.length > 0 && bars.length <= options.maxBars ? suppressed : null,
  }
}

const sum = (bars: readonly CountedBar[]) => bars.reduce((total, b) => total + b.rows, 0)

/**
 * Rows of values under k are counted, never shown; when they are fewer than k, the smallest
 * value shown is withheld with them, so the count is never one under k.
 */
export function complementRare(
  rareRows: number,
  topValues: readonly { value: string; rows: number }[],
  smallest: { value: string; rows: number } | undefined,
  k: number,
): { topValues: { value: string; rows: number }[]; rareRows: number } {
  if (rareRows === 0 || rareRows >= k || !smallest) return { topValues: [...topValues], rareRows }
  return {
    topValues: topValues.filter((t) => t.value !== smallest.value),
    rareRows: rareRows + smallest.rows,
  }
}
