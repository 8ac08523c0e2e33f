/**
 * Rows of many events, split so that one multi-row statement per round folds them all: an
 * upsert may touch a row once per statement (PostgreSQL refuses `ON CONFLICT DO UPDATE` twice on
 * one row), so the k-th mention of a key goes to round k. Each key's mentions stay in event order
 * across rounds, so the result is that of folding the events one by one; different keys never
 * depend on each other. Within a round, rows are sorted by key, so concurrent writers lock rows
 * in the same order.
 */
export function inRounds<T>(rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const rounds: { key: string; row: T }[][] = []
  const seen = new Map<string, number>()
  for (const row of rows) {
    const key = keyOf(row)
    const round = seen.get(key) ?? 0
    seen.set(key, round + 1)
    const list = rounds[round]
    if (list) list.push({ key, row })
    else rounds.push([{ key, row }])
  }
  return rounds.map((round) =>
    round.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.row),
  )
}

/**
 * Statement-sized slices: PostgreSQL takes at most 65,535 parameters in one statement, and the
 * widest row here has 10 columns.
 */
export const ROWS_PER_STATEMENT = 1000

export function chunked<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size))
  return chunks
}
