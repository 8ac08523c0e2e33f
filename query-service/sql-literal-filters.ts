// Runs inside lean query workers beside the SQL gate: it imports nothing of ours but the gate's
// own helpers, and reads only the parser's output.

import { lowerAscii } from './refused-functions.js'

/**
 * A condition every row of a SELECT must meet, as written: one column equal to a literal or IN a
 * list of literals, ANDed into a WHERE clause. The server compares these with the grants' row
 * filters, to say when a query asks for rows no grant of the caller's covers.
 */
export interface LiteralFilter {
  /** The table the column was qualified with (an alias resolved to its table), lower-case. */
  table?: string
  /** The column, lower-case. */
  column: string
  values: (string | number)[]
  /** The condition in SQL, as the caller would recognise it: `region_code = 'WR'`. */
  text: string
}

/** Enough to say what was asked, never a channel for more. */
const MAX_FILTERS = 20
const MAX_VALUES = 50

type AstNode = { [key: string]: unknown }

/**
 * The literal filters of every SELECT in a statement DuckDB serialised (the string that
 * json_serialize_sql returned); none when it cannot be read.
 *
 * @example
 * literalFiltersOf(serialized) // [{ column: 'region_code', values: ['WR'], text: "region_code = 'WR'" }]
 */
export function literalFiltersOf(serialized: string): LiteralFilter[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(serialized)
  } catch {
    return []
  }
  const wheres: unknown[] = []
  const aliases = new Map<string, string>()
  collect(parsed, wheres, aliases)
  const filters: LiteralFilter[] = []
  for (const where of wheres)
    for (const conjunct of conjunctsOf(where)) {
      const filter = filterOf(conjunct, aliases)
      if (filter && filters.length < MAX_FILTERS) filters.push(filter)
    }
  return filters
}

/** Every WHERE clause in the tree, and the table each alias (or name) of a FROM stands for. */
function collect(value: unknown, wheres: unknown[], aliases: Map<string, string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, wheres, aliases)
    return
  }
  if (!isNode(value)) return
  if (value.type === 'SELECT_NODE' && isNode(value.where_clause)) wheres.push(value.where_clause)
  if (value.type === 'BASE_TABLE' && typeof value.table_name === 'string') {
    const table = lowerAscii(value.table_name)
    aliases.set(table, table)
    if (typeof value.alias === 'string' && value.alias !== '')
      aliases.set(lowerAscii(value.alias), table)
  }
  for (const child of Object.values(value)) collect(child, wheres, aliases)
}

/** The parts of a WHERE clause that must all hold: the clause, split at its top-level ANDs. */
function conjunctsOf(expression: unknown): AstNode[] {
  if (!isNode(expression)) return []
  if (expression.type === 'CONJUNCTION_AND' && Array.isArray(expression.children))
    return expression.children.flatMap(conjunctsOf)
  return [expression]
}

function filterOf(node: AstNode, aliases: ReadonlyMap<string, string>): LiteralFilter | undefined {
  if (node.type === 'COMPARE_EQUAL') {
    const [column, constant] = isColumn(node.left)
      ? [node.left, node.right]
      : [node.right, node.left]
    const value = literalOf(constant)
    if (!isColumn(column) || value === undefined) return undefined
    return filterFor(column, [value], aliases, (name) => `${name} = ${sqlLiteral(value)}`)
  }
  if (node.type === 'COMPARE_IN' && Array.isArray(node.children)) {
    const [column, ...constants] = node.children
    const values = constants.map(literalOf)
    if (!isColumn(column) || values.length === 0 || values.length > MAX_VALUES) return undefined
    if (values.some((v) => v === undefined)) return undefined
    const known = values as (string | number)[]
    return filterFor(
      column,
      known,
      aliases,
      (name) => `${name} IN (${known.map(sqlLiteral).join(', ')})`,
    )
  }
  return undefined
}

function filterFor(
  column: AstNode,
  values: (string | number)[],
  aliases: ReadonlyMap<string, string>,
  text: (name: string) => string,
): LiteralFilter | undefined {
  const names = (column.column_names as unknown[]).map(String)
  const name = names.at(-1)
  if (name === undefined) return undefined
  const qualifier = names.length > 1 ? lowerAscii(names.at(-2) ?? '') : undefined
  return {
    ...(qualifier === undefined ? {} : { table: aliases.get(qualifier) ?? qualifier }),
    column: lowerAscii(name),
    values,
    text: text(names.join('.')),
  }
}

function isColumn(value: unknown): value is AstNode {
  return isNode(value) && value.class === 'COLUMN_REF' && Array.isArray(value.column_names)
}

/** A constant's value when it is a string or a number (NULL and anything else: undefined). */
function literalOf(value: unknown): string | number | undefined {
  if (!isNode(value) || value.class !== 'CONSTANT' || !isNode(value.value)) return undefined
  if (value.value.is_null !== false) return undefined
  const literal = value.value.value
  return typeof literal === 'string' || typeof literal === 'number' ? literal : undefined
}

const sqlLiteral = (value: string | number) =>
  typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
