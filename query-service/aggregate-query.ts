import type { DuckDBConnection } from '@duckdb/node-api'
import { sqlString } from './answer-formats.js'
import { JobError } from './worker-protocol.js'

// An aggregate-only answer is a table the platform builds, never the caller's SQL run as it is:
// DuckDB's own parse of the statement is read into a table request (grouping columns; counts,
// sums and means of single columns; a filter of comparisons of columns with constants; an
// order), anything else is refused, and the query that runs is written here from that request.
// So no expression of the caller's is evaluated over a row: nothing can fail on a row's value
// and quote it, read a row through a subquery, or hide a subgroup inside an aggregate.

/** The columns of an aggregate view's projection naming the unit (person) and the row. */
export const UNIT_COLUMN = '__unit'
export const ROW_COLUMN = '__row'
/** The sandbox's name for the view that shows an aggregate view's units and rows too. */
export const unitsViewOf = (view: string) => `${view}__units`

type Node = Record<string, unknown>

export interface Measure {
  /** count (count(*) when column is undefined), sum or avg. */
  fn: 'count' | 'sum' | 'avg'
  column?: string
  round?: number
  /** As the caller named it, or as DuckDB would have. */
  name: string
}

type Output = { group: number; name: string } | { measure: number; name: string }

export interface TableRequest {
  view: string
  /** Grouping columns, in GROUP BY order. */
  groups: string[]
  measures: Measure[]
  /** The answer's columns in SELECT order. */
  outputs: Output[]
  /** The filter as SQL written here (column names quoted, constants as typed literals). */
  where: string | undefined
  /** ORDER BY, as output positions (1-based) and directions. */
  order: { position: number; descending: boolean }[]
}

/** What the platform's aggregates may be, by DuckDB's function names. */
const MEASURES: Record<string, Measure['fn']> = {
  count_star: 'count',
  count: 'count',
  sum: 'sum',
  avg: 'avg',
  mean: 'avg',
}

const COMPARISONS: Record<string, string> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_GREATERTHAN: '>',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHANOREQUALTO: '>=',
}
const FLIPPED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' }

const refuse = (message: string) => new JobError({ kind: 'refused', message })

const SHAPE =
  'An aggregate-only view answers tables: SELECT grouping columns and count(*), count(column), sum(column) or avg(column) (optionally round(…, n)) FROM the view [WHERE column comparisons with constants] GROUP BY the grouping columns [ORDER BY]'

/**
 * The caller's statement as a table request over one aggregate view with the given columns (and
 * their types), or a refusal saying what to change.
 */
export async function readTableRequest(
  connection: DuckDBConnection,
  sql: string,
  views: ReadonlyMap<string, ReadonlyMap<string, string>>,
  identifiers: ReadonlySet<string>,
): Promise<TableRequest> {
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${sqlString(sql)})`)
  const parsed = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}'))
  const statements = parsed.statements as { node: Node }[] | undefined
  if (parsed.error || statements?.length !== 1) throw refuse('Send one SELECT statement')
  const node = statements[0]?.node as Node
  if (node.type !== 'SELECT_NODE' || ((node.cte_map as { map: unknown[] }).map ?? []).length > 0)
    throw refuse(`No WITH, UNION or nested query: ${SHAPE}`)
  const from = node.from_table as Node
  const columns = views.get(String(from.table_name))
  if (
    from.type !== 'BASE_TABLE' ||
    !columns ||
    from.sample ||
    from.schema_name ||
    from.catalog_name
  )
    throw refuse(
      'An aggregate-only view is queried on its own: FROM that one view, with no join, no other view and no SAMPLE',
    )
  for (const modifier of node.modifiers as Node[]) {
    if (modifier.type === 'DISTINCT_MODIFIER')
      throw refuse('SELECT DISTINCT lists rows: GROUP BY the columns and count them instead')
    if (modifier.type === 'LIMIT_MODIFIER' || modifier.type === 'LIMIT_PERCENT_MODIFIER')
      throw refuse(
        'LIMIT and OFFSET would hide cells the output checks must see: ask for the whole table',
      )
  }
  if (node.having)
    throw refuse('HAVING would hide cells the output checks must see: ask for the whole table')
  if (node.qualify || node.sample) throw refuse(`No QUALIFY or USING SAMPLE: ${SHAPE}`)
  if (node.aggregate_handling === 'FORCE_AGGREGATES')
    throw refuse(
      'Name the columns to group by: GROUP BY ALL is not offered on aggregate-only views',
    )
  if (((node.group_sets as unknown[]) ?? []).length > 1)
    throw refuse('ROLLUP, CUBE and GROUPING SETS are not offered: ask for each grouping on its own')

  const column = (n: Node | undefined): string => {
    if (n?.class !== 'COLUMN_REF') throw refuse(SHAPE)
    const names = n.column_names as string[]
    const name = names.at(-1) ?? ''
    if (identifiers.has(name))
      throw refuse(
        `${name} identifies a person: no row-level column is offered on aggregate-only views, to group, count or filter by`,
      )
    if (names.length > 2 || !columns.has(name))
      throw refuse(`'${names.join('.')}' is not a column of ${String(from.table_name)}`)
    return name
  }
  const selectList = node.select_list as Node[]
  const groups = (node.group_expressions as Node[]).map((g) => column(resolveGroup(g, selectList)))
  const measures: Measure[] = []
  const outputs: Output[] = selectList.map((item) => {
    const alias = String(item.alias ?? '')
    if (alias.startsWith('__')) throw refuse('Names starting with __ are the platform’s')
    if (item.class === 'COLUMN_REF') {
      const name = column(item)
      const group = groups.indexOf(name)
      if (group < 0) throw refuse(`${name} must be grouped by (GROUP BY ${name}) or aggregated`)
      return { group, name: alias || name }
    }
    const measure = measureOf(item, column)
    assertMeasure(measure, columns)
    measures.push({ ...measure, name: alias || measure.name })
    return { measure: measures.length - 1, name: alias || measure.name }
  })
  if (groups.length === 0 && measures.length === 0) throw refuse(SHAPE)
  const where = node.where_clause
    ? condition(node.where_clause as Node, column, columns)
    : undefined
  const order = (node.modifiers as Node[])
    .filter((m) => m.type === 'ORDER_MODIFIER')
    .flatMap((m) => m.orders as { type: string; expression: Node }[])
    .map((o) => ({
      position: orderPosition(o.expression, outputs, selectList),
      descending: o.type === 'DESCENDING',
    }))
  return { view: String(from.table_name), groups, measures, outputs, where, order }
}

/** count(*), count(column), sum(column), avg(column), or round() of one. */
function measureOf(
  item: Node,
  column: (n: Node | undefined) => string,
): Omit<Measure, 'name'> & { name: string } {
  if (item.class !== 'FUNCTION') throw refuse(SHAPE)
  const name = String(item.function_name)
  const children = (item.children as Node[]) ?? []
  if (name === 'round') {
    const digits = children[1]
    const round =
      digits === undefined ? 0 : Number((digits.value as { value?: unknown } | undefined)?.value)
    if (children.length > 2 || (digits && digits.class !== 'CONSTANT') || !Number.isInteger(round))
      throw refuse('round() takes an aggregate and a whole number of digits')
    const inner = measureOf(children[0] as Node, column)
    return { ...inner, round, name: `round(${inner.name}${digits ? `, ${round}` : ''})` }
  }
  const fn = MEASURES[name]
  if (!fn)
    throw refuse(
      `${name}() is not offered on aggregate-only views (it can show one person’s value or hide a subgroup): ${SHAPE}`,
    )
  if (item.distinct) throw refuse(`${name}(DISTINCT …) is not offered: count(*) per group instead`)
  if (item.filter)
    throw refuse(
      'FILTER (WHERE …) counts a subgroup the output checks cannot see: put the condition in WHERE or GROUP BY',
    )
  if (((item.order_bys as { orders: unknown[] } | undefined)?.orders ?? []).length > 0)
    throw refuse(`${name}(… ORDER BY …) is not offered`)
  if (name === 'count_star') return { fn, name: 'count_star()' }
  if (children.length !== 1 || children[0]?.class !== 'COLUMN_REF')
    throw refuse(
      `${name}() takes one column as it is, e.g. ${name}(<column>): conditions and arithmetic inside an aggregate can single out a few people; put conditions in WHERE or GROUP BY`,
    )
  const of = column(children[0])
  return { fn, column: of, name: `${name}(${of})` }
}

/** Sums and means are of numbers; round() keeps at most 10 digits. */
function assertMeasure(measure: Measure, types: ReadonlyMap<string, string>) {
  const type = types.get(measure.column ?? '') ?? ''
  if (measure.fn !== 'count' && !NUMERIC.test(type))
    throw refuse(
      `${measure.name}: sum() and avg() take a numeric column; ${measure.column} is ${type}`,
    )
  if (measure.round !== undefined && (measure.round < 0 || measure.round > 10))
    throw refuse('round() keeps 0 to 10 digits')
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i

/** A filter: comparisons, IN, BETWEEN, IS NULL and LIKE of a column with constants, combined. */
function condition(
  n: Node,
  column: (n: Node | undefined) => string,
  types: ReadonlyMap<string, string>,
): string {
  const children = (n.children as Node[]) ?? []
  const typed = (name: string, constant: Node | undefined) =>
    `TRY_CAST(${literal(constant)} AS ${types.get(name)})`
  if (n.class === 'CONJUNCTION')
    return `(${children.map((c) => condition(c, column, types)).join(n.type === 'CONJUNCTION_OR' ? ' OR ' : ' AND ')})`
  if (n.class === 'OPERATOR' && n.type === 'OPERATOR_NOT')
    return `(NOT ${condition(children[0] as Node, column, types)})`
  if (
    n.class === 'OPERATOR' &&
    (n.type === 'OPERATOR_IS_NULL' || n.type === 'OPERATOR_IS_NOT_NULL')
  )
    return `(${quote(column(children[0]))} IS ${n.type === 'OPERATOR_IS_NULL' ? '' : 'NOT '}NULL)`
  if (n.class === 'OPERATOR' && (n.type === 'COMPARE_IN' || n.type === 'COMPARE_NOT_IN')) {
    const name = column(children[0])
    return `(${quote(name)} ${n.type === 'COMPARE_IN' ? '' : 'NOT '}IN (${children
      .slice(1)
      .map((c) => typed(name, c))
      .join(', ')}))`
  }
  if (n.class === 'COMPARISON') {
    const op = COMPARISONS[String(n.type)]
    const [left, right] = [n.left as Node, n.right as Node]
    if (!op) throw refuse(`Compare columns with =, <>, <, <=, > or >= in an aggregate-only filter`)
    if (left?.class !== 'COLUMN_REF' && right?.class !== 'COLUMN_REF') throw refuse(FILTER)
    if (left?.class === 'COLUMN_REF') {
      const name = column(left)
      return `(${quote(name)} ${op} ${typed(name, right)})`
    }
    const name = column(right)
    return `(${quote(name)} ${FLIPPED[op] ?? op} ${typed(name, left)})`
  }
  if (n.class === 'BETWEEN') {
    const name = column(n.input as Node)
    return `(${quote(name)} BETWEEN ${typed(name, n.lower as Node)} AND ${typed(name, n.upper as Node)})`
  }
  if (n.class === 'FUNCTION' && (n.function_name === '~~' || n.function_name === '!~~')) {
    const name = column(children[0])
    return `(${quote(name)}::VARCHAR ${n.function_name === '~~' ? '' : 'NOT '}LIKE ${literal(children[1])})`
  }
  throw refuse(FILTER)
}

const FILTER =
  'An aggregate-only filter compares columns with constants (=, <>, <, <=, >, >=, IN, BETWEEN, IS NULL, LIKE), joined by AND, OR and NOT'

/** A constant as a SQL literal: text, a safe number, or a typed literal such as DATE '2024-01-01'. */
function literal(n: Node | undefined): string {
  if (n?.class === 'CAST' && (n.child as Node | undefined)?.class === 'CONSTANT')
    return literal(n.child as Node)
  if (n?.class !== 'CONSTANT')
    throw refuse('Compare a column with a constant: a text, a number or a date')
  const value = n.value as { is_null: boolean; value: unknown }
  if (value.is_null) return 'NULL'
  if (typeof value.value === 'string') return sqlString(value.value)
  // DECIMAL constants come as their unscaled integer and a scale: 100.0 is 1000 at scale 1.
  const type = n.value as { type?: { id?: string; type_info?: { scale?: number } } }
  if (type.type?.id === 'DECIMAL' && typeof value.value === 'number') {
    const scale = type.type.type_info?.scale ?? 0
    if (!Number.isSafeInteger(value.value))
      throw refuse('That number is too precise to compare exactly')
    return `${value.value / 10 ** scale}`
  }
  if (typeof value.value === 'number' && Number.isFinite(value.value))
    return Number.isInteger(value.value) && !Number.isSafeInteger(value.value)
      ? (() => {
          throw refuse('That number is too large to compare exactly')
        })()
      : String(value.value)
  if (typeof value.value === 'boolean') return String(value.value)
  throw refuse('Compare a column with a constant: a text, a number or a date')
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** GROUP BY 1 and GROUP BY an alias, as the column they name. */
function resolveGroup(group: Node, selectList: readonly Node[]): Node {
  if (group.class === 'CONSTANT') {
    const position = Number((group.value as { value: unknown }).value)
    const item = selectList[position - 1]
    if (!Number.isInteger(position) || !item) throw refuse(`GROUP BY ${position}: no such column`)
    return item
  }
  if (group.class === 'COLUMN_REF' && (group.column_names as string[]).length === 1) {
    const aliased = selectList.find((s) => s.alias === (group.column_names as string[])[0])
    if (aliased) return aliased
  }
  return group
}

/** ORDER BY a position, an output's name, or a grouping column. */
function orderPosition(expression: Node, outputs: readonly Output[], selectList: readonly Node[]) {
  if (expression.class === 'CONSTANT') {
    const position = Number((expression.value as { value: unknown }).value)
    if (Number.isInteger(position) && position >= 1 && position <= outputs.length) return position
  }
  if (expression.class === 'COLUMN_REF') {
    const name = (expression.column_names as string[]).at(-1)
    const index = outputs.findIndex((o) => o.name === name)
    if (index >= 0) return index + 1
  }
  const same = selectList.findIndex(
    (s) =>
      JSON.stringify({ ...s, alias: '', query_location: 0 }) ===
      JSON.stringify({ ...expression, alias: '', query_location: 0 }),
  )
  if (same >= 0) return same + 1
  throw refuse('ORDER BY the answer’s columns, by name or position')
}

/**
 * The query that makes the table, cell by cell, with what the checks need beside each cell: its
 * people and rows, each measure's contributors, and its key (its grouping values, each as text).
 */
export function tableSql(request: TableRequest): string {
  const units = quote(unitsViewOf(request.view))
  const groups = request.groups.map((g, i) => `${quote(g)} AS g${i}`)
  const measures = request.measures.map((m, i) => {
    const of = m.column === undefined ? '*' : quote(m.column)
    const value = `${m.fn}(${of})`
    return `${m.round === undefined ? value : `round(${value}, ${m.round})`} AS m${i}`
  })
  const contributors = request.measures.map((m, i) =>
    m.column === undefined
      ? `count(DISTINCT ${UNIT_COLUMN}) AS c${i}`
      : `count(DISTINCT CASE WHEN ${quote(m.column)} IS NOT NULL${m.fn === 'count' ? '' : ` AND ${quote(m.column)} <> 0`} THEN ${UNIT_COLUMN} END) AS c${i}`,
  )
  return `SELECT ${[
    ...groups,
    ...measures,
    `count(DISTINCT ${UNIT_COLUMN}) AS __units`,
    ...contributors,
    `${cellKeySql(request)} AS __cell`,
  ].join(', ')}
FROM ${units}${request.where ? ` WHERE ${request.where}` : ''}${
    request.groups.length > 0 ? ` GROUP BY ${request.groups.map(quote).join(', ')}` : ''
  }`
}

/** A cell's key: its grouping values, each as text, as a JSON list (no two cells share one). */
export const cellKeySql = (request: Pick<TableRequest, 'groups'>) =>
  `to_json([${request.groups.map((g) => `${quote(g)}::VARCHAR`).join(', ')}]::VARCHAR[])::VARCHAR`

/** The answer the caller sees: their columns, named as they asked, in their order. */
export function answerSql(request: TableRequest, table: string): string {
  const columns = request.outputs.map(
    (o) => `${'group' in o ? `g${o.group}` : `m${o.measure}`} AS ${quote(o.name)}`,
  )
  const order = request.order.map((o) => `${o.position}${o.descending ? ' DESC' : ''}`)
  return `SELECT ${columns.join(', ')} FROM ${table}${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''}`
}
