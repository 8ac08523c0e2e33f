import { type DuckDBConnection, quoteIdent, readRows } from '../core/index.js'
import type { Hierarchy } from './hierarchy.js'
import type { EncodedHierarchy } from './lattice-search.js'

/**
 * Every row of `table` (ordered by its `__row`) at every level of every hierarchy, as the search
 * needs it: each level's values as small integer codes, and each row's normalised certainty
 * penalty there: for each column, (values it could have been − 1) / (values the column holds − 1).
 */
export async function encodeTable(
  conn: DuckDBConnection,
  table: string,
  hierarchies: readonly Hierarchy[],
  options: { sensitive: ReadonlySet<string>; keep: Readonly<Record<string, string>> },
): Promise<{ rows: number; encoded: EncodedHierarchy[] }> {
  const select: string[] = []
  hierarchies.forEach((h, hi) => {
    for (const column of h.columns)
      select.push(`(${quoteIdent(column)})::VARCHAR AS ${quoteIdent(`o${hi}_${column}`)}`)
    h.levels.forEach((level, li) => {
      for (const column of h.columns)
        select.push(`(${level.values[column]})::VARCHAR AS ${quoteIdent(`g${hi}_${li}_${column}`)}`)
    })
  })
  const rows =
    select.length === 0
      ? await readRows<Record<string, string | null>>(conn, `SELECT 1 FROM ${table}`)
      : await readRows<Record<string, string | null>>(
          conn,
          `SELECT ${select.join(', ')} FROM ${table} ORDER BY __row`,
        )
  const encoded = hierarchies.map((h, hi): EncodedHierarchy => {
    const codes: Int32Array[] = []
    const loss: Float64Array[] = []
    h.levels.forEach((_, li) => {
      const ids = new Map<string, number>()
      const levelCodes = new Int32Array(rows.length)
      const levelLoss = new Float64Array(rows.length)
      rows.forEach((row, r) => {
        const key = JSON.stringify(h.columns.map((c) => row[`g${hi}_${li}_${c}`] ?? null))
        let id = ids.get(key)
        if (id === undefined) {
          id = ids.size
          ids.set(key, id)
        }
        levelCodes[r] = id
      })
      for (const column of h.columns) {
        const penalty = certaintyPenalty(
          rows.map((row) => row[`o${hi}_${column}`] ?? null),
          rows.map((row) => row[`g${hi}_${li}_${column}`] ?? null),
        )
        penalty.forEach((p, r) => {
          levelLoss[r] = (levelLoss[r] as number) + p / h.columns.length
        })
      }
      codes.push(levelCodes)
      loss.push(levelLoss)
    })
    // A level the hierarchy does not have can never be kept: the report says it was not.
    const keep = options.keep[h.name]
    const keepAt = keep === undefined ? undefined : h.levels.findIndex((l) => l.name === keep)
    return {
      name: h.name,
      width: h.columns.length,
      levels: h.levels.map((l) => l.name),
      codes,
      loss,
      sensitive: h.columns.some((c) => options.sensitive.has(c)),
      ...(keepAt !== undefined ? { keepAtMost: keepAt } : {}),
    }
  })
  return { rows: rows.length, encoded }
}

/** Each row's penalty: how many of the column's values its generalised value could stand for. */
export function certaintyPenalty(
  originals: readonly (string | null)[],
  generalised: readonly (string | null)[],
): number[] {
  const domain = new Set(originals).size
  if (domain <= 1) return originals.map(() => 0)
  const covers = new Map<string | null, Set<string | null>>()
  originals.forEach((o, r) => {
    const g = generalised[r] ?? null
    const set = covers.get(g) ?? new Set()
    set.add(o)
    covers.set(g, set)
  })
  return generalised.map((g) => ((covers.get(g)?.size ?? 1) - 1) / (domain - 1))
}
