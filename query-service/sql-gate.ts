// The SQL gate runs inside lean query workers: it must import nothing of ours (core alone costs a
// worker 400 ms and 70 MB), so it is a pure decision over the parser's output.

import { lowerAscii, REFUSED_BARE_WORDS, refusalReason } from './refused-functions.js'

/** Longest SQL text accepted: a query, not a data upload. */
export const MAX_SQL_LENGTH = 100_000

/** The statement the caller's own DuckDB runs to parse a text (bind the SQL as $1). */
export const PARSE_SQL = 'SELECT json_serialize_sql($1::VARCHAR)'

/**
 * The gate's decision on one SQL text: the caller's views it reads (sorted, deduplicated), or
 * why it may not run and, when known, where (a 0-based offset into the text, in UTF-16 units)
 * and the name read as a table that is none of their views (`unknownView`, lower-case: the
 * server says what the caller holds of it, a sample or a grant that ended).
 */
export type GateVerdict =
  | { ok: true; views: string[] }
  | { ok: false; message: string; position?: number; unknownView?: string }

/** Query nodes DuckDB 1.5 serialises for SELECT-like text; anything else is new and refused. */
const QUERY_NODE_TYPES: ReadonlySet<string> = new Set([
  'SELECT_NODE',
  'SET_OPERATION_NODE',
  'RECURSIVE_CTE_NODE',
])

/**
 * Every table-reference type DuckDB knows, so that one found anywhere is checked. Only
 * BASE_TABLE (checked by name), JOIN, SUBQUERY, EXPRESSION_LIST (VALUES), EMPTY (no FROM) and
 * PIVOT (PIVOT/UNPIVOT) may run.
 */
const TABLE_REF_TYPES: ReadonlySet<string> = new Set([
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'EXPRESSION_LIST',
  'EMPTY',
  'PIVOT',
  'TABLE_FUNCTION',
  'SHOW_REF',
  'CTE',
  'COLUMN_DATA',
  'DELIM_GET',
  'BOUND_TABLE_REF',
  'INVALID',
])

const VIEWS_HINT = 'the workbench lists the views you hold'

type AstNode = { [key: string]: unknown }

/**
 * The CTE names in scope at a point of the statement: one frame per WITH clause (lower-case
 * names with their place in it), of which only the first `visible` count at this point.
 */
interface Scope {
  readonly parent: Scope | undefined
  readonly names: ReadonlyMap<string, number>
  readonly visible: number
}

const NO_CTES: Scope = { parent: undefined, names: new Map(), visible: 0 }

interface Walk {
  views: ReadonlySet<string>
  read: Set<string>
}

/** A refusal found deep in the tree; `at` is DuckDB's query_location (a UTF-8 byte offset). */
class Refusal extends Error {
  readonly at: number | undefined
  readonly unknownView: string | undefined
  constructor(message: string, at?: unknown, unknownView?: string) {
    super(message)
    this.at = typeof at === 'number' && Number.isSafeInteger(at) && at >= 0 ? at : undefined
    this.unknownView = unknownView
  }
}

/** Refusals that need no parse: empty text, text over MAX_SQL_LENGTH. */
export function precheckSql(sql: string): GateVerdict | undefined {
  if (sql.trim() === '')
    return { ok: false, message: 'The SQL text is empty: write one SELECT over your views' }
  if (sql.length > MAX_SQL_LENGTH)
    return {
      ok: false,
      message: `The SQL text has ${sql.length.toLocaleString('en')} characters, over the limit of ${MAX_SQL_LENGTH.toLocaleString('en')}: send a query, not data`,
    }
  return undefined
}

/**
 * Decides on one SQL text from DuckDB's serialisation of it (the string PARSE_SQL returned).
 * The text may run only if it is one SELECT (CTEs, set operations, subqueries, VALUES, PIVOT
 * allowed) whose every table reference is a CTE in scope at that point or one of `views`
 * (lower-case names), and which calls no function that reads the engine's state.
 *
 * @example
 * const verdict = judgeSql(sql, serialized, new Set(['persons']))
 * if (!verdict.ok) refuse(verdict.message, verdict.position)
 */
export function judgeSql(sql: string, serialized: string, views: ReadonlySet<string>): GateVerdict {
  const early = precheckSql(sql)
  if (early) return early
  const parsed = parseJson(serialized)
  if (parsed === undefined || parsed.error !== false) return refuseUnparsed(sql, parsed)
  const statements = Array.isArray(parsed.statements) ? parsed.statements : []
  if (statements.length !== 1)
    return {
      ok: false,
      message:
        statements.length === 0
          ? 'The SQL text holds no statement: write one SELECT over your views'
          : `One statement at a time: this text holds ${statements.length}. Remove all but one (and the semicolons between them)`,
    }
  const walk: Walk = { views, read: new Set() }
  try {
    visit(statements[0], NO_CTES, walk)
  } catch (error) {
    if (!(error instanceof Refusal)) throw error
    const position = error.at === undefined ? undefined : stringIndex(sql, error.at, 'byte')
    return {
      ok: false,
      message: error.message,
      ...(position === undefined ? {} : { position }),
      ...(error.unknownView === undefined ? {} : { unknownView: error.unknownView }),
    }
  }
  return { ok: true, views: [...walk.read].sort() }
}

function parseJson(serialized: string): AstNode | undefined {
  try {
    const value: unknown = JSON.parse(serialized)
    return isNode(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** DuckDB serialises only SELECT-like statements; its parser errors name the token and place. */
function refuseUnparsed(sql: string, parsed: AstNode | undefined): GateVerdict {
  if (parsed?.error_type === 'parser') {
    const message = String(parsed.error_message ?? 'the text cannot be read')
    const position = parserPosition(sql, parsed.position, message)
    return position === undefined
      ? { ok: false, message: `Syntax error: ${message}` }
      : { ok: false, message: `Syntax error: ${message}`, position }
  }
  return {
    ok: false,
    message:
      'Only one SELECT can run here (WITH … SELECT, UNION and subqueries are fine): statements that change, load, attach, copy, configure or describe are refused',
  }
}

/**
 * Where a syntax error is: DuckDB's `position` (counted in code points), else the first place
 * of the token its message names ("at or near "FORM"").
 */
function parserPosition(sql: string, position: unknown, message: string): number | undefined {
  const at = typeof position === 'string' || typeof position === 'number' ? Number(position) : NaN
  if (Number.isSafeInteger(at) && at >= 0) return stringIndex(sql, at, 'codepoint')
  const near = /at or near "([^"]+)"/.exec(message)?.[1]
  if (!near) return undefined
  const found = sql.indexOf(near)
  return found >= 0 ? found : undefined
}

/**
 * The UTF-16 index of an offset DuckDB counted in UTF-8 bytes (query_location) or in code
 * points (parser errors); undefined past the end, as DuckDB's "no location" (2^64-1) is.
 */
function stringIndex(sql: string, offset: number, unit: 'byte' | 'codepoint'): number | undefined {
  let counted = 0
  let index = 0
  for (const char of sql) {
    if (counted >= offset) return index
    const point = char.codePointAt(0) ?? 0
    counted +=
      unit === 'codepoint' ? 1 : point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4
    index += char.length
  }
  return counted === offset ? index : undefined
}

/** Walks any part of the tree, handing query nodes, table references and expressions on. */
function visit(value: unknown, scope: Scope, walk: Walk): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, scope, walk)
    return
  }
  if (!isNode(value)) return
  if ('cte_map' in value || QUERY_NODE_TYPES.has(String(value.type))) {
    visitQueryNode(value, scope, walk)
  } else if (typeof value.class === 'string') {
    checkExpression(value)
    visitFields(value, scope, walk)
  } else if (typeof value.type === 'string' && TABLE_REF_TYPES.has(value.type)) {
    visitTableRef(value, scope, walk)
  } else {
    visitFields(value, scope, walk)
  }
}

function visitFields(node: AstNode, scope: Scope, walk: Walk, skip?: ReadonlySet<string>): void {
  for (const [key, value] of Object.entries(node)) if (!skip?.has(key)) visit(value, scope, walk)
}

const QUERY_NODE_OWN_FIELDS: ReadonlySet<string> = new Set(['cte_map', 'from_table', 'right'])

/**
 * A query node's CTEs are in scope in its FROM, expressions, set-operation branches and every
 * subquery below them, but not above it nor beside it. A recursive CTE's own name is in scope
 * only in its recursive term (the right of the RECURSIVE_CTE_NODE), as in DuckDB.
 */
function visitQueryNode(node: AstNode, outer: Scope, walk: Walk): void {
  const type = String(node.type)
  if (!QUERY_NODE_TYPES.has(type))
    throw new Refusal(`This kind of query cannot run here (${type}): write one SELECT`)
  const scope = visitCtes(node.cte_map, outer, walk)
  if (node.from_table !== undefined && node.from_table !== null)
    visitTableRef(node.from_table, scope, walk)
  if (type === 'RECURSIVE_CTE_NODE') {
    if (typeof node.cte_name !== 'string')
      throw new Refusal('This recursive WITH cannot be read: name it and write it again')
    visit(node.right, withName(scope, node.cte_name), walk)
  } else {
    visit(node.right, scope, walk)
  }
  visitFields(node, scope, walk, QUERY_NODE_OWN_FIELDS)
}

/**
 * Visits each CTE body in the order written and returns the scope of the query that owns them.
 * A body sees the outer scope and the CTEs written before it, never itself nor later ones
 * (DuckDB resolves those names to tables, even under WITH RECURSIVE).
 */
function visitCtes(cteMap: unknown, outer: Scope, walk: Walk): Scope {
  const entries = isNode(cteMap) && Array.isArray(cteMap.map) ? cteMap.map : []
  const names = new Map<string, number>()
  for (const entry of entries) {
    if (!isNode(entry) || typeof entry.key !== 'string')
      throw new Refusal('This WITH clause cannot be read: write it again')
    const name = lowerAscii(entry.key)
    // DuckDB's parser refuses duplicates; should one get through, no reading of it is safe.
    if (names.has(name)) throw new Refusal(`Two CTEs are named '${entry.key}': rename one`)
    names.set(name, names.size)
  }
  entries.forEach((entry: AstNode, index) => {
    visit(entry.value, { parent: outer, names, visible: index }, walk)
  })
  return { parent: outer, names, visible: names.size }
}

function withName(scope: Scope, name: string): Scope {
  return { parent: scope, names: new Map([[lowerAscii(name), 0]]), visible: 1 }
}

function isInScope(scope: Scope | undefined, name: string): boolean {
  for (let frame = scope; frame; frame = frame.parent) {
    const index = frame.names.get(name)
    if (index !== undefined && index < frame.visible) return true
  }
  return false
}

/** An allowlist of FROM items: anything DuckDB adds later is refused until someone decides. */
function visitTableRef(ref: unknown, scope: Scope, walk: Walk): void {
  if (!isNode(ref)) throw new Refusal('This FROM clause cannot be read: write it again')
  const type = String(ref.type)
  switch (type) {
    case 'BASE_TABLE':
      readTable(ref, scope, walk)
      visitFields(ref, scope, walk)
      return
    case 'JOIN':
      visitTableRef(ref.left, scope, walk)
      visitTableRef(ref.right, scope, walk)
      visitFields(ref, scope, walk, new Set(['left', 'right']))
      return
    case 'PIVOT':
      checkPivot(ref)
      visitTableRef(ref.source, scope, walk)
      visitFields(ref, scope, walk, new Set(['source']))
      return
    case 'SUBQUERY':
    case 'EXPRESSION_LIST':
    case 'EMPTY':
      visitFields(ref, scope, walk)
      return
    case 'TABLE_FUNCTION': {
      const fn = isNode(ref.function) ? String(ref.function.function_name) : 'this one'
      throw new Refusal(
        `Table functions such as ${fn}() cannot be used here: only your views can be read (${VIEWS_HINT})`,
        ref.query_location,
      )
    }
    case 'SHOW_REF':
      throw new Refusal(
        'SHOW, DESCRIBE and SUMMARIZE are refused: the workbench lists your views with their columns',
        ref.query_location,
      )
    default:
      throw new Refusal(
        `This kind of FROM item (${type}) cannot be used here: read your views, subqueries or VALUES`,
        ref.query_location,
      )
  }
}

/**
 * A named table: a CTE only when unqualified and in scope; else one of the caller's views,
 * unqualified or as main.<view> / memory.main.<view>. DuckDB resolves any other name to a
 * system view, another catalog, or a file through a replacement scan.
 */
function readTable(ref: AstNode, scope: Scope, walk: Walk): void {
  const parts = [ref.catalog_name, ref.schema_name, ref.table_name].map((p) => String(p ?? ''))
  const [catalog, schema, name] = parts.map(lowerAscii) as [string, string, string]
  const qualified = parts.filter(Boolean).join('.')
  const at = ref.query_location
  const outside =
    catalog !== '' && catalog !== 'memory'
      ? catalog
      : schema !== '' && schema !== 'main'
        ? schema
        : undefined
  if (outside !== undefined)
    throw new Refusal(
      `Only your views can be read, and '${qualified}' is in '${outside}', another schema or catalog: write the view's name alone (${VIEWS_HINT})`,
      at,
    )
  if (schema === '' && isInScope(scope, name)) return
  if (walk.views.has(name)) {
    walk.read.add(name)
    return
  }
  if (looksLikeFile(name))
    throw new Refusal(
      `File names cannot be read as tables ('${qualified}'): read one of your views (${VIEWS_HINT})`,
      at,
    )
  throw new Refusal(
    `'${qualified}' is not one of your views: the workbench lists the ones you hold`,
    at,
    name,
  )
}

/**
 * DuckDB reads a table name as a file when it has a known extension (.parquet, .csv, .json…,
 * so it holds a dot) or is a path or URL; globs and home paths count too.
 */
function looksLikeFile(name: string): boolean {
  return /[/\\.:*?~]/.test(name)
}

/** PIVOT … IN <enum type> reads a type's values from the catalog: only listed values may run. */
function checkPivot(ref: AstNode): void {
  const pivots = Array.isArray(ref.pivots) ? ref.pivots : []
  for (const pivot of pivots)
    if (isNode(pivot) && typeof pivot.pivot_enum === 'string' && pivot.pivot_enum !== '')
      throw new Refusal(
        `PIVOT … IN ${pivot.pivot_enum} reads a type from the catalog: list the values instead, as IN ('a', 'b')`,
        ref.query_location,
      )
}

/** Function calls (scalar, aggregate, window) by name, and the bare words above. */
function checkExpression(node: AstNode): void {
  const at = node.query_location
  if (node.class === 'COLUMN_REF') {
    const names = Array.isArray(node.column_names) ? node.column_names : []
    const word = names.length === 1 ? lowerAscii(String(names[0])) : ''
    if (REFUSED_BARE_WORDS.has(word))
      throw new Refusal(
        `'${word}' reads the engine's catalog, not your data. If you meant a column, write it with its table (t.${word})`,
        at,
      )
    return
  }
  if (node.class !== 'FUNCTION' && node.class !== 'WINDOW') return
  const fn = lowerAscii(String(node.function_name ?? ''))
  const prefix = [node.catalog, node.schema].map((part) => lowerAscii(String(part ?? '')))
  const qualifier = prefix.filter(Boolean).join('.')
  if (prefix[0] !== '' || (prefix[1] !== '' && prefix[1] !== 'main'))
    throw new Refusal(
      `Functions are called by their name alone, and '${qualifier}.${fn}' puts a schema, catalog or column before it: write ${fn}(…) (for a column c, ${fn}(c) rather than c.${fn}())`,
      at,
    )
  const reason = refusalReason(fn)
  if (reason) throw new Refusal(`The function ${fn}() cannot be used here: it ${reason}`, at)
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
