import { describeRowFilter, oneOf, type RowCondition } from '../access/index.js'
import type { CallerView } from './caller-views.js'
import type { LiteralFilter } from './sql-literal-filters.js'

/**
 * What an answer should say beside its rows about the grants it read: a filter of the query's
 * that asks only for rows a grant's row filter leaves out ("region_code = 'WR' matches none of
 * them"), and, for an answer of no rows, the row filter of each grant it read. Empty when there is
 * nothing to say. `views` are the caller's views the query read.
 *
 * @example
 * queryNotes(views, [{ column: 'region_code', values: ['WR'], text: "region_code = 'WR'" }], 0)
 * // ["Your grant on Persons covers only rows where region_code is CR or ER; region_code = 'WR' matches none of them"]
 */
export function queryNotes(
  views: readonly CallerView[],
  filters: readonly LiteralFilter[],
  rows: number,
): string[] {
  const notes: string[] = []
  const noted = new Set<string>()
  for (const view of views) {
    const { rowFilter, dataset } = view.entitlement
    if (rowFilter.length === 0) continue
    const allowed = allowedValues(rowFilter)
    for (const filter of filters) {
      if (filter.table !== undefined && filter.table !== view.name) continue
      const values = allowed.get(filter.column)
      if (!values || filter.values.some((v) => values.has(String(v)))) continue
      noted.add(view.name)
      notes.push(
        `Your grant on ${dataset.title} covers only rows where ${filter.column} is ${oneOf([...values]) || 'nothing'}; ${filter.text} matches none of them`,
      )
    }
    if (rows === 0 && !noted.has(view.name))
      notes.push(
        `No rows: your grant on ${dataset.title} covers only rows where ${describeRowFilter(rowFilter)}`,
      )
  }
  return [...new Set(notes)]
}

/** Per column limited to listed values (eq, in), the values every such condition allows. */
function allowedValues(conditions: readonly RowCondition[]): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>()
  for (const c of conditions) {
    const listed = c.op === 'eq' ? [c.value] : c.op === 'in' ? c.values : undefined
    if (!listed) continue
    const values = new Set(listed.map(String))
    const column = c.column.toLowerCase()
    const before = allowed.get(column)
    allowed.set(column, before ? new Set([...before].filter((v) => values.has(v))) : values)
  }
  return allowed
}
