import type { DuckDBConnection } from '@duckdb/node-api'
import { sqlString } from './answer-formats.js'
import { JobError } from './worker-protocol.js'

// The shape an aggregate-only answer must have, read from DuckDB's own parse of the caller's
// SQL, and the checked query made from it: the same statement over the view that holds each
// row's unit (the person it is about), with every cell's units, each aggregate's contributors
// and the cell's key added. Runs inside the worker.

/** Aggregates whose cells output checks can judge: counts, sums and means. */
const CHECKED_AGGREGATES = new Set(['count_star', 'count', 'sum', 'avg', 'mean'])
/** Of those, the ones whose values are magnitudes (the dominance rule applies to them). */
const MAGNITUDES = new Set(['sum', 'avg', 'mean'])

/** The column of an aggregate view's projection naming the unit a row is about. */
export const UNIT_COLUMN = '__unit'
/** The sandbox's name for the view that shows an aggregate view's units too. */
export const unitsViewOf = (view: string) => `${view}__units`

type Node = Record<string, unknown>

export interface AggregateAggregate {
  /** As the caller wrote it (DuckDB's rendering). */
  text: string
  name: string
  /** Its argument's SQL; undefined for count(*). */
  argument?: string
}

export interface AggregatePlan {
  view: string
  /** The checked query: the caller's, plus __units, __cell and __contributors_<i>. */
  checked: string
  /** Every aggregate of the statement, in order. */
  aggregates: AggregateAggregate[]
  /** The SQL of the cell key (a list of the grouping values) and of the WHERE clause. */
  cell: string
  where: string | undefined
  /** The grouping expressions as written, to name cells. */
  groups: string[]
}

const refuse = (message: string) => new JobError({ kind: 'refused', message })

/**
 * The checked form of the caller's statement over one aggregate view, or a refusal saying what
 * to change: one SELECT over one aggregate view, grouped by named expressions, with only counts,
 * sums and means, and nothing that reads a row on its own (subqueries, windows, DISTINCT, FILTER).
 */
export async function planAggregate(
  connection: DuckDBConnection,
  sql: string,
  aggregateViews: ReadonlySet<string>,
  aggregateFunctions: ReadonlySet<string>,
  /** The dataset's identifiers, none of them in the view: named if the statement asks for one. */
  identifiers: ReadonlySet<string> = new Set(),
): Promise<AggregatePlan> {
  const parsed = JSON.parse(
    await scalar(connection, `SELECT json_serialize_sql(${sqlString(sql)})`),
  )
  const statements = parsed.statements as { node: Node }[] | undefined
  if (parsed.error || statements?.length !== 1) throw refuse('Send one SELECT statement')
  const node = statements[0]?.node as Node
  if (node.type !== 'SELECT_NODE' || ((node.cte_map as { map: unknown[] }).map ?? []).length > 0)
    throw refuse(
      'An aggregate-only view answers one plain SELECT … GROUP BY: no WITH, UNION or nested queries',
    )
  const from = node.from_table as Node
  if (from.type !== 'BASE_TABLE' || !aggregateViews.has(String(from.table_name)) || from.sample)
    throw refuse(
      'An aggregate-only view is queried on its own: FROM that one view, with no join, no other view and no SAMPLE',
    )
  for (const modifier of node.modifiers as Node[])
    if (modifier.type === 'DISTINCT_MODIFIER')
      throw refuse('SELECT DISTINCT lists rows: GROUP BY the columns and count them instead')
  if (node.aggregate_handling === 'FORCE_AGGREGATES')
    throw refuse(
      'Name the columns to group by: GROUP BY ALL is not offered on aggregate-only views',
    )
  if (((node.group_sets as unknown[]) ?? []).length > 1)
    throw refuse(
      'ROLLUP, CUBE and GROUPING SETS are not offered on aggregate-only views: ask for each grouping on its own',
    )
  if (node.qualify || node.sample)
    throw refuse('QUALIFY and USING SAMPLE are not offered on aggregate-only views')

  const selectList = node.select_list as Node[]
  const groupExpressions = (node.group_expressions as Node[]).map((g) =>
    resolveGroup(g, selectList),
  )
  const aggregates: Node[] = []
  const expressions = [
    ...selectList,
    ...groupExpressions,
    ...[node.where_clause, node.having].filter(Boolean),
    ...(node.modifiers as Node[]).flatMap((m) => [
      ...((m.orders as { expression: Node }[] | undefined) ?? []).map((o) => o.expression),
    ]),
  ] as Node[]
  for (const expression of expressions)
    walk(expression, (n) => {
      inspect(n, aggregateFunctions)
      const column = n.class === 'COLUMN_REF' ? (n.column_names as string[]).at(-1) : undefined
      if (column && identifiers.has(column))
        throw refuse(
          `${column} identifies a person: no row-level column is offered on aggregate-only views, to group, count or filter by`,
        )
      if (n.class === 'FUNCTION' && aggregateFunctions.has(String(n.function_name)))
        if (!aggregates.includes(n)) aggregates.push(n)
    })
  for (const expression of [node.where_clause, ...groupExpressions].filter(Boolean) as Node[])
    walk(expression, (n) => {
      if (n.class === 'FUNCTION' && aggregateFunctions.has(String(n.function_name)))
        throw refuse('Aggregates belong in SELECT or HAVING, not in WHERE or GROUP BY')
    })
  const selectAggregates = aggregates.filter((a) => selectList.some((s) => contains(s, a)))
  if (groupExpressions.length === 0 && selectAggregates.length === 0)
    throw refuse(
      'An aggregate-only view answers tables of counts, sums and means: GROUP BY what you compare and count(*), sum() or avg() it',
    )
  for (const item of selectList)
    if (String(item.alias ?? '').startsWith('__'))
      throw refuse('Names starting with __ are the platform’s: alias your columns otherwise')

  const render = (expression: Node) => renderExpression(connection, expression)
  const groups = await Promise.all(groupExpressions.map(render))
  const where = node.where_clause ? await render(node.where_clause as Node) : undefined
  const rendered = await Promise.all(
    aggregates.map(async (a) => ({
      text: await render(a),
      name: String(a.function_name),
      ...(((a.children as Node[]) ?? []).length > 0
        ? { argument: await render((a.children as Node[])[0] as Node) }
        : {}),
    })),
  )
  const cell = groups.length > 0 ? `to_json(list_value(${groups.join(', ')}))::VARCHAR` : `'[]'`
  const units = unitsViewOf(String(from.table_name))
  const extra = [
    `count(DISTINCT ${UNIT_COLUMN}) AS __units`,
    `${cell} AS __cell`,
    ...rendered.map((a, i) =>
      a.argument === undefined
        ? `count(DISTINCT ${UNIT_COLUMN}) AS __contributors_${i}`
        : `count(DISTINCT CASE WHEN (${a.argument}) IS NOT NULL${MAGNITUDES.has(a.name) ? ` AND (${a.argument}) <> 0` : ''} THEN ${UNIT_COLUMN} END) AS __contributors_${i}`,
    ),
  ]
  const template = JSON.parse(
    await scalar(
      connection,
      `SELECT json_serialize_sql(${sqlString(`SELECT ${extra.join(', ')} FROM "${units}"`)})`,
    ),
  )
  const checkedNode = structuredClone(node)
  checkedNode.select_list = [
    ...(checkedNode.select_list as Node[]),
    ...(template.statements[0].node.select_list as Node[]),
  ]
  ;(checkedNode.from_table as Node).table_name = units
  checkedNode.group_expressions = groupExpressions
  const checked = await deserialize(connection, { ...parsed, statements: [{ node: checkedNode }] })
  return { view: String(from.table_name), checked, aggregates: rendered, cell, where, groups }
}

/** Whether a magnitude aggregate (sum, mean) is subject to the dominance rule. */
export const isMagnitude = (name: string) => MAGNITUDES.has(name)

/** One expression of the statement: refuses what reads rows one by one or hides a subgroup. */
function inspect(n: Node, aggregateFunctions: ReadonlySet<string>) {
  if (n.class === 'SUBQUERY')
    throw refuse('Subqueries are not offered on aggregate-only views: one SELECT … GROUP BY')
  if (n.class === 'WINDOW')
    throw refuse('Window functions read rows one by one: not offered on aggregate-only views')
  if (n.class === 'COLUMN_REF' && (n.column_names as string[]).some((c) => c.startsWith('__')))
    throw refuse('Columns starting with __ are the platform’s')
  if (n.class !== 'FUNCTION') return
  const name = String(n.function_name)
  if (!aggregateFunctions.has(name)) return
  if (!CHECKED_AGGREGATES.has(name))
    throw refuse(
      `${name}() is not offered on aggregate-only views (it can show one person’s value): use count(*), count(), sum() or avg()`,
    )
  if (n.distinct)
    throw refuse(
      `${name}(DISTINCT …) is not offered on aggregate-only views: count(*) per group instead`,
    )
  if (n.filter)
    throw refuse(
      `${name}(…) FILTER (WHERE …) counts a subgroup the output checks cannot see: put the condition in WHERE or GROUP BY`,
    )
  // A condition or sum inside an aggregate can count a handful of people within a large cell.
  const children = (n.children as Node[]) ?? []
  if (name !== 'count_star' && (children.length !== 1 || children[0]?.class !== 'COLUMN_REF'))
    throw refuse(
      `${name}() takes one column as it is, e.g. ${name}(<column>): conditions and arithmetic inside an aggregate can single out a few people; put conditions in WHERE or GROUP BY, arithmetic around the aggregate`,
    )
}

/** GROUP BY 1 and GROUP BY an alias, as the expressions they name. */
function resolveGroup(group: Node, selectList: readonly Node[]): Node {
  if (group.class === 'CONSTANT') {
    const position = Number((group.value as { value: unknown }).value)
    const item = selectList[position - 1]
    if (!Number.isInteger(position) || !item) throw refuse(`GROUP BY ${position}: no such column`)
    return { ...structuredClone(item), alias: '' }
  }
  if (group.class === 'COLUMN_REF' && (group.column_names as string[]).length === 1) {
    const name = (group.column_names as string[])[0]
    const aliased = selectList.find((s) => s.alias === name)
    if (aliased) return { ...structuredClone(aliased), alias: '' }
  }
  return group
}

/** Calls `visit` on every expression node under `node`, itself included. */
function walk(node: Node, visit: (n: Node) => void) {
  if (!node || typeof node !== 'object') return
  if (typeof node.class === 'string') visit(node)
  for (const [key, value] of Object.entries(node)) {
    if (key === 'value' && node.class === 'CONSTANT') continue
    for (const child of Array.isArray(value) ? value : [value])
      if (child && typeof child === 'object') walk(child as Node, visit)
  }
}

function contains(haystack: Node, needle: Node): boolean {
  let found = false
  walk(haystack, (n) => {
    if (n === needle) found = true
  })
  return found
}

/** An expression as SQL, rendered by DuckDB from its parse. */
async function renderExpression(connection: DuckDBConnection, expression: Node): Promise<string> {
  const statement = JSON.parse(await scalar(connection, "SELECT json_serialize_sql('SELECT 1')"))
  statement.statements[0].node.select_list = [{ ...structuredClone(expression), alias: '' }]
  return (await deserialize(connection, statement)).replace(/^SELECT /, '')
}

/**
 * SQL from a parse. Positions DuckDB marks "none" (2^64 − 1) do not survive JSON numbers in
 * JavaScript, and name nothing the checked query needs: they are dropped.
 */
function deserialize(connection: DuckDBConnection, parse: unknown): Promise<string> {
  const text = JSON.stringify(parse, (key, value) =>
    key === 'query_location' && !(Number.isSafeInteger(value) && value >= 0) ? 0 : value,
  )
  return scalar(connection, `SELECT json_deserialize_sql(${sqlString(text)})`)
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<string> {
  const reader = await connection.runAndReadAll(sql)
  return String(reader.getRows()[0]?.[0] ?? '')
}
