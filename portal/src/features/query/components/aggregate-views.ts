import type { ViewInfo } from '../api/use-query.js'

type ViewShape = Pick<ViewInfo, 'name' | 'scope' | 'columns'>

/** What an aggregate-only view takes, in one line. */
export const AGGREGATE_HINT =
  'One SELECT … GROUP BY with count(*), count(), sum() and avg() only; every cell must count at least 10 people, and the answer comes as JSON.'

/** Whether a view is read through checked aggregate queries only. */
export const isAggregateView = (view: Pick<ViewInfo, 'scope'>): boolean =>
  view.scope === 'aggregates'

/** SQL without its comments and string literals, so a name inside them reads as nothing. */
function codeOf(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?(\*\/|$)|'(?:[^']|'')*('|$)/g, ' ')
}

/**
 * The aggregate-only views the SQL reads, as far as the text tells (the server checks for real):
 * `chronic_disease_registry` but not `chronic_disease_registry_2`, nor a name in a comment.
 */
export function aggregateViewsIn<V extends ViewShape>(sql: string, views: readonly V[]): V[] {
  const code = codeOf(sql).toLowerCase()
  const named = (name: string) =>
    new RegExp(`(^|[^a-z0-9_$])${name.toLowerCase().replace(/[^a-z0-9_]/g, '\\$&')}($|[^a-z0-9_$])`)
  return views.filter((v) => isAggregateView(v) && named(v.name).test(code))
}

/**
 * A first query that passes the checks' shape: people counted by the view's first text column
 * that is not masked (the first column when none is text), or all of them.
 */
export function exampleAggregateQuery(view: ViewShape): string {
  const shown = view.columns.filter((c) => !c.masked)
  const by = shown.find((c) => /CHAR|TEXT|STRING/i.test(c.type)) ?? shown[0]
  return by
    ? `SELECT ${by.name}, count(*) AS people FROM ${view.name} GROUP BY ${by.name}`
    : `SELECT count(*) AS people FROM ${view.name}`
}

/** The query picking a view starts: its first rows, or for an aggregate-only view, an example. */
export function starterQuery(view: ViewShape): string {
  return isAggregateView(view)
    ? exampleAggregateQuery(view)
    : `SELECT * FROM ${view.name} LIMIT 100`
}
