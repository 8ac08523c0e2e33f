import { type DuckDBConnection, quoteIdent, readRows } from '../../core/index.js'
import { certaintyPenalty, HIDDEN } from '../../disclosure/index.js'

// What a sample kept of its drawn rows, measured the same way whichever generaliser made it.

export const PLANNING_AREA = ['planning_area_code', 'planning_area_name']
export const REGION = ['region_code', 'region_name']

/** Shares of the drawn rows that still show their planning area, or it or their region. */
export interface GeographyShares {
  planningArea: number
  planningAreaOrRegion: number
  /** Without one, "or region" adds nothing. */
  hasRegionColumn: boolean
}

/** Each drawn row's value of each column as published and as a sample shows it, in row order. */
export interface SampleOutput {
  rows: number
  original: Map<string, (string | null)[]>
  shown: Map<string, (string | null)[]>
  suppressed: ReadonlySet<number>
}

/** Reads `columns` of every drawn row (`sample_base`), before and after `select`. */
export async function readSampleOutput(
  conn: DuckDBConnection,
  select: readonly string[],
  columns: readonly string[],
  suppressed: readonly number[],
): Promise<SampleOutput> {
  const list = columns.flatMap((c, i) => [
    `b.${quoteIdent(c)}::VARCHAR AS o${i}`,
    `s.${quoteIdent(c)}::VARCHAR AS s${i}`,
  ])
  const rows = await readRows<Record<string, string | null>>(
    conn,
    `WITH shown AS (SELECT __row AS __shown_row, ${select.join(', ')} FROM sample_base)
     SELECT ${list.join(', ')} FROM sample_base b JOIN shown s ON s.__shown_row = b.__row
     ORDER BY b.__row`,
  )
  const column = (prefix: string) =>
    new Map(columns.map((c, i) => [c, rows.map((r) => r[`${prefix}${i}`] ?? null)]))
  return {
    rows: rows.length,
    original: column('o'),
    shown: column('s'),
    suppressed: new Set(suppressed),
  }
}

/**
 * Normalised certainty penalty over `columns`: per cell, (original values its shown value could
 * stand for − 1) / (distinct values of the column in the drawn rows − 1); '*' and every cell of
 * a suppressed row count 1.
 */
export function informationLoss(output: SampleOutput, columns: readonly string[]): number {
  if (columns.length === 0 || output.rows === 0) return 0
  let total = 0
  for (const column of columns) {
    const original = output.original.get(column) ?? []
    const shown = output.shown.get(column) ?? []
    const penalty = certaintyPenalty(original, shown)
    penalty.forEach((p, row) => {
      total += output.suppressed.has(row) || shown[row] === HIDDEN ? 1 : p
    })
  }
  return total / (columns.length * output.rows)
}

/** The fewest kept rows sharing one combination of `columns` as shown. */
export function smallestClass(output: SampleOutput, columns: readonly string[]): number {
  const sizes = new Map<string, number>()
  for (let row = 0; row < output.rows; row++) {
    if (output.suppressed.has(row)) continue
    const key = JSON.stringify(columns.map((c) => output.shown.get(c)?.[row] ?? null))
    sizes.set(key, (sizes.get(key) ?? 0) + 1)
  }
  return sizes.size === 0 ? 0 : Math.min(...sizes.values())
}

/**
 * Shares of the drawn rows (suppressed ones count as losing everything) that still show their
 * planning area in some column, and that show it or their region (in its own column or, as the
 * old ladder put it, in the planning area's).
 */
export function geographyShares(output: SampleOutput): GeographyShares | undefined {
  const areas = PLANNING_AREA.filter((c) => output.original.has(c))
  if (areas.length === 0) return undefined
  const region = REGION.find((c) => output.original.has(c))
  const value = (map: Map<string, (string | null)[]>, column: string, row: number) =>
    map.get(column)?.[row] ?? null
  let area = 0
  let areaOrRegion = 0
  for (let row = 0; row < output.rows; row++) {
    if (output.suppressed.has(row)) continue
    const keepsArea = areas.some(
      (c) => value(output.shown, c, row) === value(output.original, c, row),
    )
    const regionValue = region ? value(output.original, region, row) : undefined
    const keepsRegion =
      region !== undefined &&
      [region, ...areas].some((c) => value(output.shown, c, row) === regionValue)
    if (keepsArea) area++
    if (keepsArea || keepsRegion) areaOrRegion++
  }
  return {
    planningArea: area / output.rows,
    planningAreaOrRegion: areaOrRegion / output.rows,
    hasRegionColumn: region !== undefined,
  }
}
