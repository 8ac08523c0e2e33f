import type { DuckDBConnection } from '../core/index.js'
import { QueryRefusedError } from './errors.js'

/** Longest SQL text accepted: a query, not a data upload. */
export const MAX_SQL_LENGTH = 100_000

/**
 * Scalar functions refused even inside a SELECT: they read the engine's configuration or state
 * (file paths included) rather than the caller's data.
 */
const REFUSED_FUNCTIONS = new Set([
  'current_setting',
  'getvariable',
  'getenv',
  'query',
  'query_table',
  'read_text',
  'read_blob',
])

interface AstNode {
  [key: string]: unknown
}

/**
 * The gate every SQL text passes before it runs: DuckDB's own parser (json_serialize_sql)
 * decides what the text is, and the text runs only if it is one SELECT (CTEs, unions and
 * subqueries allowed) whose every table reference is one of the caller's views. Table
 * functions (read_csv, read_parquet, query_table, duckdb_views…), file names used as tables,
 * other schemas and catalogs, SHOW/DESCRIBE, and every other kind of statement are refused with
 * a message that says so. Returns the views the query reads.
 */
export async function checkSql(
  connection: DuckDBConnection,
  sql: string,
  views: ReadonlySet<string>,
): Promise<string[]> {
  if (sql.trim() === '') throw new QueryRefusedError('sql: write a SELECT over your views')
  if (sql.length > MAX_SQL_LENGTH)
    throw new QueryRefusedError(`sql: at most ${MAX_SQL_LENGTH.toLocaleString('en')} characters`)
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])
  const ast = JSON.parse(String(reader.getRows()[0]?.[0] ?? '{}')) as AstNode
  if (ast.error) {
    const message = String(ast.error_message ?? 'cannot be read')
    if (ast.error_type === 'parser')
      throw new QueryRefusedError(`Syntax error: ${message}`, positionOf(message, sql))
    throw new QueryRefusedError(
      'Only one SELECT can run here (WITH … SELECT, UNION and subqueries are fine): statements that change, load, attach, copy, configure or describe are refused',
    )
  }
  const statements = (ast.statements as AstNode[] | undefined) ?? []
  if (statements.length !== 1)
    throw new QueryRefusedError(`One statement at a time: this text holds ${statements.length}`)

  const ctes = new Set<string>()
  collectCtes(statements[0], ctes)
  const used = new Set<string>()
  walk(statements[0], (node) => {
    const at = typeof node.query_location === 'number' ? node.query_location : undefined
    switch (node.type) {
      case 'BASE_TABLE': {
        const name = String(node.table_name ?? '').toLowerCase()
        const schema = String(node.schema_name ?? '').toLowerCase()
        const catalog = String(node.catalog_name ?? '').toLowerCase()
        const qualified = [catalog, schema, name].filter(Boolean).join('.')
        if ((schema && schema !== 'main') || (catalog && catalog !== 'memory'))
          throw new QueryRefusedError(
            `Only your views can be read: '${qualified}' names another schema or catalog`,
            at,
          )
        if (ctes.has(name)) return
        if (!views.has(name))
          throw new QueryRefusedError(
            `Only your views can be read, and '${qualified}' is not one of them (GET /api/query/views lists yours)`,
            at,
          )
        used.add(name)
        return
      }
      case 'TABLE_FUNCTION': {
        const fn = (node.function as AstNode | undefined)?.function_name
        throw new QueryRefusedError(
          `Table functions such as ${String(fn ?? 'this one')}() are not allowed: read your views instead`,
          at,
        )
      }
      case 'SHOW_REF':
        throw new QueryRefusedError(
          'SHOW, DESCRIBE and SUMMARIZE are refused: GET /api/query/views describes your views',
          at,
        )
      case 'FUNCTION': {
        const fn = String(node.function_name ?? '').toLowerCase()
        if (REFUSED_FUNCTIONS.has(fn) || fn.startsWith('duckdb_'))
          throw new QueryRefusedError(`The function ${fn}() is not allowed here`, at)
        return
      }
    }
  })
  return [...used].sort()
}

function walk(node: unknown, visit: (node: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit)
    return
  }
  if (!node || typeof node !== 'object') return
  visit(node as AstNode)
  for (const value of Object.values(node)) walk(value, visit)
}

/** Every CTE name anywhere in the statement; a reference to one is not a table reference. */
function collectCtes(node: unknown, names: Set<string>): void {
  walk(node, (n) => {
    const map = (n.cte_map as { map?: { key: string }[] } | undefined)?.map
    for (const entry of map ?? []) names.add(String(entry.key).toLowerCase())
  })
}

/** DuckDB names the offending token ("at or near "FORM""); its first place in the text. */
function positionOf(message: string, sql: string): number | undefined {
  const near = /at or near "([^"]+)"/.exec(message)?.[1]
  if (!near) return undefined
  const at = sql.indexOf(near)
  return at >= 0 ? at : undefined
}
