import { type DuckDBConnection, quoteIdent, readRows } from '../core/index.js'
import type { ColumnStats } from './assess-columns.js'

/** Each column's distinct values and rows with a value fewer than k rows share, over `source`. */
export async function columnStats(
  conn: DuckDBConnection,
  source: string,
  columns: readonly string[],
  k: number,
): Promise<Map<string, ColumnStats>> {
  const stats = new Map<string, ColumnStats>()
  const [total] = await readRows<{ n: string }>(conn, `SELECT count(*) AS n FROM ${source}`)
  const rows = Number(total?.n ?? 0)
  for (const column of columns) {
    const [row] = await readRows<{ distinct: string; rare: string }>(
      conn,
      `SELECT count(*) AS "distinct", coalesce(sum(n) FILTER (WHERE n < ${k}), 0) AS rare
       FROM (SELECT count(*) AS n FROM ${source} GROUP BY ${quoteIdent(column)})`,
    )
    stats.set(column, {
      rows,
      distinct: Number(row?.distinct ?? 0),
      rareRows: Number(row?.rare ?? 0),
    })
  }
  return stats
}

/** Distinct values (up to 50) and the numeric range of a column of `table`, for its hierarchy. */
export async function columnShape(
  conn: DuckDBConnection,
  table: string,
  column: string,
  numeric: boolean,
): Promise<{ values: string[]; range?: { min: number; max: number } }> {
  const id = quoteIdent(column)
  const values = await readRows<{ v: string }>(
    conn,
    `SELECT DISTINCT (${id})::VARCHAR AS v FROM ${table} WHERE ${id} IS NOT NULL ORDER BY v LIMIT 50`,
  )
  if (!numeric) return { values: values.map((v) => v.v) }
  const [range] = await readRows<{ lo: number | null; hi: number | null }>(
    conn,
    `SELECT min(${id})::DOUBLE AS lo, max(${id})::DOUBLE AS hi FROM ${table}`,
  )
  return {
    values: values.map((v) => v.v),
    ...(range?.lo != null && range.hi != null ? { range: { min: range.lo, max: range.hi } } : {}),
  }
}
