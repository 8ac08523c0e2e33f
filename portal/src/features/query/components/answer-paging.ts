import { formatCount, formatQuantity } from '../../../lib/format.js'

/** Rows a page of an answer shows. */
export const PAGE_SIZE = 100

/** How many pages an answer of `rows` rows takes (one, even when it has none). */
export const pageCountOf = (rows: number) => Math.max(1, Math.ceil(rows / PAGE_SIZE))

/**
 * Which rows a page shows, of how many, in words: "12 rows", "Showing 101–200 of 2,345 rows";
 * an answer cut at the row limit does not know its total, and says so: "Showing 1–100 of the first
 * 10,000 rows".
 */
export function pageText(page: number, rows: number, truncated: boolean): string {
  if (rows === 0) return 'No rows'
  if (rows <= PAGE_SIZE && !truncated) return formatQuantity(rows, 'row')
  const first = page * PAGE_SIZE + 1
  const last = Math.min(rows, (page + 1) * PAGE_SIZE)
  const of = truncated ? `the first ${formatQuantity(rows, 'row')}` : formatQuantity(rows, 'row')
  return `Showing ${formatCount(first)}–${formatCount(last)} of ${of}`
}

/** How long a query took, as a person reads it: "Ran in 0.4 s", "Ran in 12 s". */
export function elapsedText(ms: number): string {
  if (ms < 100) return 'Ran in under 0.1 s'
  const seconds = ms / 1000
  return `Ran in ${seconds < 10 ? seconds.toFixed(1) : formatCount(Math.round(seconds))} s`
}
