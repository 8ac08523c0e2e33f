import type { DuckDBConnection } from '../core/index.js'
import type { ColumnSource, ColumnTransformation } from './facets.js'

/** A table the SQL reads: which lineage dataset it is and its columns (for `*` and bare names). */
export interface SqlTable {
  namespace: string
  name: string
  columns: readonly string[]
}

export interface SqlColumnLineage {
  /** Per output column, the input columns it is made from (directly, or as its condition). */
  fields: Record<string, ColumnSource[]>
  /** Input columns the whole output depends on: join keys, filters, groupings, sort keys. */
  dataset: ColumnSource[]
}

type Subtype = ColumnTransformation['subtype']
type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION'
type Use = { type: 'DIRECT'; subtype: DirectSubtype } | { type: 'INDIRECT'; subtype: Subtype }

/** One input column a value depends on, and how. */
interface Dep {
  table: string
  column: string
  type: 'DIRECT' | 'INDIRECT'
  subtype: Subtype
  masking: boolean
}

interface Relation {
  columns: Map<string, Dep[]>
  /** What every row of the relation depends on (joins, filters, groupings). */
  indirect: Dep[]
}

interface ScopeEntry {
  alias: string
  relation: Relation
}

// biome-ignore lint/suspicious/noExplicitAny: DuckDB's serialized AST is walked generically.
type Node = any

const DIRECT_RANK: Record<DirectSubtype, number> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
}
const AGGREGATES = new Set([
  'count',
  'count_star',
  'sum',
  'avg',
  'mean',
  'min',
  'max',
  'first',
  'last',
  'any_value',
  'arg_min',
  'arg_max',
  'min_by',
  'max_by',
  'list',
  'array_agg',
  'string_agg',
  'group_concat',
  'median',
  'mode',
  'quantile',
  'quantile_cont',
  'quantile_disc',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'bool_and',
  'bool_or',
  'approx_count_distinct',
  'approx_quantile',
  'histogram',
  'product',
  'bit_and',
  'bit_or',
  'bit_xor',
  'fsum',
  'sumkahan',
  'entropy',
  'kurtosis',
  'skewness',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'favg',
])
/** Functions whose output hides their input: a column made through one of them is masked. */
const MASKING = new Set(['sha256', 'sha1', 'md5', 'md5_number', 'hash', 'sha512'])

/** Whether an expression aggregates (outside windows and subqueries, which aggregate apart). */
function hasAggregate(expr: Node): boolean {
  if (!expr || typeof expr !== 'object') return false
  if (Array.isArray(expr)) return expr.some(hasAggregate)
  if (expr.class === 'WINDOW' || expr.class === 'SUBQUERY') return false
  if (expr.class === 'FUNCTION' && AGGREGATES.has(String(expr.function_name ?? '').toLowerCase()))
    return true
  return Object.entries(expr).some(
    ([key, value]) => key !== 'class' && typeof value === 'object' && hasAggregate(value),
  )
}

/** The way a dependency reaches the outside, through one more use of it. */
function through(dep: Dep, use: Use, masking: boolean): Dep {
  if (use.type === 'INDIRECT')
    return { ...dep, type: 'INDIRECT', subtype: use.subtype, masking: dep.masking || masking }
  if (dep.type === 'INDIRECT') return { ...dep, masking: dep.masking || masking }
  const inner = dep.subtype as DirectSubtype
  const subtype = DIRECT_RANK[use.subtype] > DIRECT_RANK[inner] ? use.subtype : inner
  return { ...dep, subtype, masking: dep.masking || masking }
}

function unique(deps: Dep[]): Dep[] {
  const seen = new Map<string, Dep>()
  for (const d of deps) {
    const k = `${d.table}\u0000${d.column}\u0000${d.type}\u0000${d.subtype}`
    const found = seen.get(k)
    if (!found) seen.set(k, d)
    else if (d.masking && !found.masking) seen.set(k, d)
  }
  return [...seen.values()]
}

/**
 * Column-level lineage of one SELECT, from DuckDB's own parse tree (`json_serialize_sql`), not
 * from patterns in the text: names are resolved through CTEs, subqueries, aliases, `*` and joins
 * (including USING) down to the input tables. A column taken as it is, is IDENTITY; computed, a
 * TRANSFORMATION (masked when a hash hides it); through an aggregate, an AGGREGATION. Columns
 * used to choose rather than to make values are INDIRECT: join keys (JOIN), WHERE, HAVING and
 * QUALIFY (FILTER), GROUP BY (GROUP_BY), ORDER BY (SORT), window partitions and orders
 * (WINDOW), CASE conditions (CONDITIONAL).
 */
export async function columnLineageOfSql(
  connection: DuckDBConnection,
  sql: string,
  tables: Readonly<Record<string, SqlTable>>,
): Promise<SqlColumnLineage> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])
  const parsed = JSON.parse(String(reader.getRows()[0]?.[0])) as {
    error: boolean
    error_message?: string
    statements?: { node: Node }[]
  }
  if (parsed.error) throw new Error(`The pipeline SQL does not parse: ${parsed.error_message}`)
  const statement = parsed.statements?.[0]
  if (!statement || (parsed.statements?.length ?? 0) !== 1)
    throw new Error('Column lineage needs exactly one SELECT statement')

  function baseRelation(name: string): Relation {
    const table = tables[name]
    const columns = new Map<string, Dep[]>()
    for (const column of table?.columns ?? [])
      columns.set(column, [
        { table: name, column, type: 'DIRECT', subtype: 'IDENTITY', masking: false },
      ])
    return { columns, indirect: [] }
  }

  function resolve(names: string[], scope: ScopeEntry[], shadow: Set<string>): Dep[] {
    if (names.length === 0) return []
    const [first = '', second] = names
    if (names.length === 1 && shadow.has(first)) return []
    if (second !== undefined) {
      const entry = scope.find((e) => e.alias === first)
      // `alias.column`: that relation's column (nothing, for a column it does not have).
      if (entry) return entry.relation.columns.get(second) ?? []
    }
    // A bare name (or a struct field of one): the first relation in scope that has it.
    for (const entry of scope) {
      const found = entry.relation.columns.get(first)
      if (found) return found
    }
    return []
  }

  /** Every input column an expression depends on, and how. */
  function collect(
    expr: Node,
    scope: ScopeEntry[],
    use: Use,
    shadow: Set<string>,
    masking = false,
  ): Dep[] {
    if (!expr || typeof expr !== 'object') return []
    if (Array.isArray(expr)) return expr.flatMap((e) => collect(e, scope, use, shadow, masking))
    const inner: Use =
      use.type === 'DIRECT' && use.subtype === 'IDENTITY'
        ? { type: 'DIRECT', subtype: 'TRANSFORMATION' }
        : use
    // Inside something already indirect (a QUALIFY's window, a filter's CASE), the outer reason holds.
    const indirect = (subtype: Subtype): Use =>
      use.type === 'INDIRECT' ? use : { type: 'INDIRECT', subtype }
    // A function's arguments: aggregated when it aggregates, else computed from.
    const madeBy = (name: string): Use =>
      AGGREGATES.has(name) && use.type === 'DIRECT'
        ? { type: 'DIRECT', subtype: 'AGGREGATION' }
        : inner
    switch (expr.class) {
      case 'COLUMN_REF':
        return resolve(expr.column_names ?? [], scope, shadow).map((d) => through(d, use, masking))
      case 'CONSTANT':
        return []
      case 'CASE':
        return [
          ...(expr.case_checks ?? []).flatMap((check: Node) => [
            ...collect(check.when_expr, scope, indirect('CONDITIONAL'), shadow, masking),
            ...collect(check.then_expr, scope, inner, shadow, masking),
          ]),
          ...collect(expr.else_expr, scope, inner, shadow, masking),
        ]
      case 'FUNCTION': {
        const name = String(expr.function_name ?? '').toLowerCase()
        const made = madeBy(name)
        return [
          ...collect(expr.children, scope, made, shadow, masking || MASKING.has(name)),
          ...collect(expr.filter, scope, indirect('FILTER'), shadow, masking),
          ...collect(
            (expr.order_bys?.orders ?? []).map((o: Node) => o.expression),
            scope,
            indirect('SORT'),
            shadow,
            masking,
          ),
        ]
      }
      case 'WINDOW': {
        const made = madeBy(String(expr.function_name ?? '').toLowerCase())
        return [
          ...collect(expr.children, scope, made, shadow, masking),
          ...collect(expr.partitions, scope, indirect('WINDOW'), shadow, masking),
          ...collect(
            (expr.orders ?? []).map((o: Node) => o.expression),
            scope,
            indirect('WINDOW'),
            shadow,
            masking,
          ),
          ...collect(expr.filter_expr, scope, indirect('FILTER'), shadow, masking),
        ]
      }
      case 'LAMBDA': {
        const params = new Set(shadow)
        const lhs = expr.lhs
        for (const p of Array.isArray(lhs) ? lhs : [lhs])
          for (const n of p?.column_names ?? []) params.add(n)
        for (const p of lhs?.children ?? []) for (const n of p?.column_names ?? []) params.add(n)
        return collect(expr.expr, scope, inner, params, masking)
      }
      case 'SUBQUERY': {
        const relation = selectNode(expr.subquery?.node, new Map(), scope)
        return [
          ...collect(expr.child, scope, inner, shadow, masking),
          ...[...relation.columns.values()].flat().map((d) => through(d, inner, masking)),
          ...relation.indirect,
        ]
      }
      default: {
        // Operators, comparisons, casts, conjunctions…: every child expression, as a computation.
        const deps: Dep[] = []
        for (const [key, value] of Object.entries(expr)) {
          if (key === 'class' || key === 'type' || key === 'alias') continue
          if (value && typeof value === 'object')
            deps.push(...collect(value, scope, inner, shadow, masking))
        }
        return deps
      }
    }
  }

  function fromItem(
    table: Node,
    ctes: Map<string, Relation>,
    outer: ScopeEntry[],
  ): { scope: ScopeEntry[]; indirect: Dep[] } {
    if (!table) return { scope: [], indirect: [] }
    switch (table.type) {
      case 'BASE_TABLE': {
        const name = String(table.table_name)
        const relation = ctes.get(name) ?? baseRelation(name)
        return { scope: [{ alias: table.alias || name, relation }], indirect: relation.indirect }
      }
      case 'SUBQUERY': {
        let relation = selectNode(table.subquery?.node, ctes, outer)
        const renames: string[] = table.column_name_alias ?? []
        if (renames.length > 0) {
          const entries = [...relation.columns.entries()]
          relation = {
            columns: new Map(entries.map(([name, deps], i) => [renames[i] ?? name, deps])),
            indirect: relation.indirect,
          }
        }
        return { scope: [{ alias: table.alias ?? '', relation }], indirect: relation.indirect }
      }
      case 'JOIN': {
        const left = fromItem(table.left, ctes, outer)
        const right = fromItem(table.right, ctes, outer)
        const scope = [...left.scope, ...right.scope]
        const keys = [
          ...collect(
            table.condition,
            [...scope, ...outer],
            { type: 'INDIRECT', subtype: 'JOIN' },
            new Set(),
          ),
          ...(table.using_columns ?? []).flatMap((column: string) =>
            [...left.scope, ...right.scope].flatMap((e) =>
              (e.relation.columns.get(column) ?? []).map((d) =>
                through(d, { type: 'INDIRECT', subtype: 'JOIN' }, false),
              ),
            ),
          ),
        ]
        return { scope, indirect: [...left.indirect, ...right.indirect, ...keys] }
      }
      default:
        return { scope: [], indirect: [] }
    }
  }

  function selectNode(node: Node, ctes: Map<string, Relation>, outer: ScopeEntry[]): Relation {
    if (!node) return { columns: new Map(), indirect: [] }
    if (node.type === 'SET_OPERATION_NODE') {
      const left = selectNode(node.left, ctes, outer)
      const right = selectNode(node.right, ctes, outer)
      const rightColumns = [...right.columns.values()]
      return {
        columns: new Map(
          [...left.columns.entries()].map(([name, deps], i) => [
            name,
            unique([...deps, ...(rightColumns[i] ?? [])]),
          ]),
        ),
        indirect: unique([...left.indirect, ...right.indirect]),
      }
    }
    if (node.type !== 'SELECT_NODE') return { columns: new Map(), indirect: [] }
    const local = new Map(ctes)
    for (const cte of node.cte_map?.map ?? [])
      local.set(cte.key, selectNode(cte.value?.query?.node, local, outer))
    const from = fromItem(node.from_table, local, outer)
    const scope = [...from.scope, ...outer]
    const columns = new Map<string, Dep[]>()
    const noShadow = new Set<string>()
    const direct: Use = { type: 'DIRECT', subtype: 'IDENTITY' }
    const perItem: Dep[][] = []
    for (const [i, expr] of (node.select_list ?? []).entries()) {
      if (expr.class === 'STAR') {
        const excluded = new Set<string>(
          (expr.exclude_list ?? []).map((e: Node) =>
            typeof e === 'string' ? e : String(e?.column_names?.at(-1) ?? e),
          ),
        )
        for (const entry of from.scope) {
          if (expr.relation_name && entry.alias !== expr.relation_name) continue
          for (const [name, deps] of entry.relation.columns)
            if (!excluded.has(name) && !columns.has(name)) columns.set(name, deps)
        }
        perItem.push([])
        continue
      }
      const name =
        expr.alias ||
        (expr.class === 'COLUMN_REF'
          ? String(expr.column_names?.at(-1))
          : `${expr.function_name ?? 'column'}_${i}`)
      const deps = unique(collect(expr, scope, direct, noShadow))
      perItem.push(deps)
      columns.set(name, deps)
    }
    const indirect = (exprs: Node, subtype: Subtype) =>
      collect(exprs, scope, { type: 'INDIRECT', subtype }, noShadow)
    // GROUP BY 2 names the second output column; GROUP BY ALL groups by every non-aggregate one.
    const groups = (node.group_expressions ?? []).flatMap((g: Node) => {
      const position = g?.class === 'CONSTANT' ? Number(g.value?.value) : Number.NaN
      return Number.isInteger(position)
        ? (perItem[position - 1] ?? []).map((d) =>
            through(d, { type: 'INDIRECT', subtype: 'GROUP_BY' }, false),
          )
        : indirect(g, 'GROUP_BY')
    })
    const groupAll =
      node.aggregate_handling === 'FORCE_AGGREGATES'
        ? perItem
            .filter((_, i) => !hasAggregate(node.select_list?.[i]))
            .flat()
            .map((d) => through(d, { type: 'INDIRECT', subtype: 'GROUP_BY' }, false))
        : []
    const orders = (node.modifiers ?? [])
      .filter((m: Node) => m.type === 'ORDER_MODIFIER')
      .flatMap((m: Node) => (m.orders ?? []).map((o: Node) => o.expression))
    return {
      columns,
      indirect: unique([
        ...from.indirect,
        ...indirect(node.where_clause, 'FILTER'),
        ...groups,
        ...groupAll,
        ...indirect(node.having, 'FILTER'),
        ...indirect(node.qualify, 'FILTER'),
        ...indirect(orders, 'SORT'),
      ]),
    }
  }

  const result = selectNode(statement.node, new Map(), [])
  const sources = (deps: Dep[]): ColumnSource[] => {
    const grouped = new Map<string, ColumnSource>()
    for (const d of unique(deps)) {
      const table = tables[d.table]
      if (!table) continue
      const k = `${d.table}\u0000${d.column}`
      const source = grouped.get(k) ?? {
        namespace: table.namespace,
        name: table.name,
        field: d.column,
        transformations: [],
      }
      source.transformations.push({
        type: d.type,
        subtype: d.subtype,
        ...(d.masking ? { masking: true } : {}),
      })
      grouped.set(k, source)
    }
    return [...grouped.values()]
  }
  return {
    fields: Object.fromEntries([...result.columns].map(([name, deps]) => [name, sources(deps)])),
    dataset: sources(result.indirect),
  }
}
