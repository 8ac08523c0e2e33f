// The benches' percentiles. Two definitions, kept as their figures were first published: the
// load bench's is the textbook nearest rank; the others take index ⌊p·n⌋, which is the same
// except where p·n is a whole number, when it takes the next value up (the upper middle of an
// even count at p50).

/** The value at index ⌊p·n⌋ of `xs` sorted ascending (0 for none); `xs` is left as it was. */
export function percentile(xs: readonly number[], p: number): number {
  return [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0
}

/** The middle value of `xs` (the upper one of an even count; 0 for none). */
export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5)
}

/** Nearest-rank percentile of values already sorted ascending (0 for none). */
export function nearestRankPercentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0
}
