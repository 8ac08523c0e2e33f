import type { QueryAnswer } from '../api/use-query.js'
import { PLANNING_AREA_TILES, type PlanningAreaTile } from './planning-area-tiles.js'

/** The charts a result can be drawn as. */
export type ChartKind = 'bar' | 'line' | 'map'

/** Points a bar or line chart draws at most: past them, it says how many it left out. */
export const MAX_POINTS = 100

type AnswerShape = Pick<QueryAnswer, 'columns' | 'rows'>

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i

/** A value as a number for a chart: BIGINT and DECIMAL come as strings; others are no number. */
export function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** The columns holding numbers, by their place in the answer. */
export const numericColumns = (answer: AnswerShape): number[] =>
  answer.columns.flatMap((c, i) => (NUMERIC.test(c.type) ? [i] : []))

const byCode = new Map(PLANNING_AREA_TILES.map((t) => [t.code, t]))
const byName = new Map(PLANNING_AREA_TILES.map((t) => [t.name.toUpperCase(), t]))

/** The planning area a value names, by its code (`BS`) or its name (`Bishan`). */
export function tileOf(value: unknown): PlanningAreaTile | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim().toUpperCase()
  return byCode.get(text) ?? byName.get(text)
}

/** The column naming planning areas, if the answer has one whose values are planning areas. */
export function planningAreaColumn(answer: AnswerShape): number | undefined {
  const at = answer.columns.findIndex(
    (c, i) => /planning_area/i.test(c.name) && answer.rows.some((r) => tileOf(r[i])),
  )
  return at >= 0 ? at : undefined
}

/** What the answer can be drawn as: none without a numeric column, a map with planning areas. */
export function chartKindsOf(answer: AnswerShape): ChartKind[] {
  if (answer.rows.length === 0 || numericColumns(answer).length === 0) return []
  return planningAreaColumn(answer) === undefined ? ['bar', 'line'] : ['bar', 'line', 'map']
}

/** A cell as a chart's label. */
export const labelOf = (value: unknown): string =>
  value === null || value === undefined
    ? '(null)'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value)

/** The points of a bar or line chart, in the answer's order; rows without a number are left out. */
export function pointsOf(
  answer: AnswerShape,
  x: number,
  y: number,
): { points: { label: string; value: number }[]; left: number } {
  const all = answer.rows.flatMap((row) => {
    const value = numberOf(row[y])
    return value === undefined ? [] : [{ label: labelOf(row[x]), value }]
  })
  return { points: all.slice(0, MAX_POINTS), left: Math.max(0, all.length - MAX_POINTS) }
}

/** Each planning area's value: the sum over the rows naming it (rows of other places left out). */
export function areaValuesOf(answer: AnswerShape, area: number, y: number): Map<string, number> {
  const values = new Map<string, number>()
  for (const row of answer.rows) {
    const tile = tileOf(row[area])
    const value = numberOf(row[y])
    if (tile && value !== undefined) values.set(tile.code, (values.get(tile.code) ?? 0) + value)
  }
  return values
}
