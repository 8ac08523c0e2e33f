import type { Json } from '@duckdb/node-api'

/** The text formats a query result streams in, with their media types. */
export const TEXT_FORMATS = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const
export type TextFormat = keyof typeof TEXT_FORMATS

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(value: Json): string {
  if (value === null) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvField).join(',')}\r\n`
}

export function csvRows(rows: readonly Json[][]): string {
  let out = ''
  for (const row of rows) out += `${row.map(csvField).join(',')}\r\n`
  return out
}

/** NDJSON lines: one object per row, keyed by column name (a repeated name gets `_2`, `_3`…). */
export function ndjsonEncoder(columns: readonly string[]): (rows: readonly Json[][]) => string {
  const seen = new Map<string, number>()
  const keys = columns.map((name) => {
    const n = (seen.get(name) ?? 0) + 1
    seen.set(name, n)
    return n === 1 ? name : `${name}_${n}`
  })
  return (rows) => {
    let out = ''
    for (const row of rows)
      out += `${JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, row[i] ?? null])))}\n`
    return out
  }
}
