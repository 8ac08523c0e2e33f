import { type DuckDBConnection, quoteIdent, readRows } from '../core/index.js'
import { type HistogramBin, suppressBars } from './profile-suppression.js'

export type { HistogramBin } from './profile-suppression.js'

/** Bars a histogram aims at, and the most a column's sample levels may give. */
const BARS = 10
export const MAX_LEVEL_BARS = 30

export const isDateType = (type: string) => /^(DATE|TIMESTAMP)/i.test(type)

/**
 * A numeric or date column's histogram as published (at a sample level, see `suppressLevels`):
 * about ten bars of a round width; in a dataset about people the outer edges are the k-th smallest and largest values rounded outwards, the first and last bars
 * holding everything beyond them, so no edge is one person's value. Bars under k are withheld,
 * with the next smallest beside them (`suppressBars`).
 */
export async function histogramOf(
  conn: DuckDBConnection,
  source: string,
  column: { name: string; type: string },
  options: { k: number; personal: boolean },
): Promise<HistogramBin[] | null> {
  const { k } = options
  const id = quoteIdent(column.name)
  const date = isDateType(column.type)
  const x = date ? `(epoch(${id}) / 86400.0)` : `(${id})::DOUBLE`
  const values = `(SELECT ${x} AS x FROM ${source} WHERE ${id} IS NOT NULL)`
  const [range] = await readRows<{ n: string; lo: number | null; hi: number | null }>(
    conn,
    options.personal
      ? `SELECT (SELECT count(*) FROM ${values}) AS n,
           (SELECT max(x) FROM (SELECT x FROM ${values} ORDER BY x LIMIT ${k})) AS lo,
           (SELECT min(x) FROM (SELECT x FROM ${values} ORDER BY x DESC LIMIT ${k})) AS hi`
      : `SELECT count(*) AS n, min(x) AS lo, max(x) AS hi FROM ${values}`,
  )
  const n = Number(range?.n ?? 0)
  const lo = range?.lo
  const hi = range?.hi
  if (lo == null || hi == null || n === 0 || (options.personal && (n < 2 * k || hi <= lo)))
    return null
  const whole = date || /INT/i.test(column.type)
  const width = Math.max(whole ? 1 : 0, roundWidth((hi - lo) / BARS)) || 1
  const start = Math.floor(lo / width) * width
  const bars = Math.max(1, Math.ceil((hi - start) / width))
  const counts = await readRows<{ b: number; n: string }>(
    conn,
    `SELECT least(greatest(floor((x - ${start}) / ${width}), 0), ${bars - 1})::INTEGER AS b,
       count(*) AS n FROM ${values} GROUP BY 1`,
  )
  const countOf = new Map(counts.map((c) => [Number(c.b), Number(c.n)]))
  const edge = (i: number) => formatEdge(start + i * width, date)
  const labelOf = (i: number) => {
    if (!options.personal) return `${edge(i)} to ${edge(i + 1)}`
    if (bars === 1) return 'all values'
    if (i === 0) return `below ${edge(1)}`
    if (i === bars - 1) return `${edge(i)} and above`
    return `${edge(i)} to ${edge(i + 1)}`
  }
  return suppressBars(
    Array.from({ length: bars }, (_, i) => ({ label: labelOf(i), rows: countOf.get(i) ?? 0 })),
    k,
  )
}

/** 1, 2 or 5 times a power of ten, at least `raw` (0 for no spread). */
function roundWidth(raw: number): number {
  if (!(raw > 0)) return 0
  const power = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * power).find((w) => w >= raw * (1 - 1e-9)) ?? 10 * power
}

/** A bar's edge: a day for dates, a number without float noise otherwise. */
function formatEdge(value: number, date: boolean): string {
  if (date) return new Date(Math.round(value) * 86_400_000).toISOString().slice(0, 10)
  return String(Number(value.toPrecision(10)))
}
