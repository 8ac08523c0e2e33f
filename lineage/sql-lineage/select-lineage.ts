import {
  type Dep,
  IDENTITY,
  indirectly,
  type Node,
  type Relation,
  type ScopeEntry,
  type Subtype,
  through,
  type Use,
  unique,
} from './dependency.js'
import { collect } from './expression-lineage.js'
import { hasAggregate } from './sql-functions.js'

/** The tables a statement may read, by the name it uses: their columns (for `*` and bare names). */
export type InputTables = Readonly<Record<string, { readonly columns: readonly string[] }>>

const empty = (): Relation => ({ columns: new Map(), indirect: [] })

/** An input table: each of its columns is itself. */
function baseRelation(tables: InputTables, name: string): Relation {
  const columns = new Map<string, Dep[]>()
  for (const column of tables[name]?.columns ?? [])
    columns.set(column, [
      { table: name, column, type: 'DIRECT', subtype: 'IDENTITY', masking: false },
    ])
  return { columns, indirect: [] }
}

/** What an expression depends on, seen from `scope` (subqueries resolved against the tables). */
function dependencies(tables: InputTables, expr: Node, scope: ScopeEntry[], use: Use): Dep[] {
  return collect(expr, {
    scope,
    use,
    shadow: new Set(),
    masking: false,
    subquery: (node, outer) => selectLineage(tables, node, new Map(), outer),
  })
}

/** The relations a FROM clause brings into scope, and what its joins make every row depend on. */
function fromItem(
  tables: InputTables,
  table: Node,
  ctes: Map<string, Relation>,
  outer: ScopeEntry[],
): { scope: ScopeEntry[]; indirect: Dep[] } {
  if (!table) return { scope: [], indirect: [] }
  switch (table.type) {
    case 'BASE_TABLE': {
      const name = String(table.table_name)
      const relation = ctes.get(name) ?? baseRelation(tables, name)
      return { scope: [{ alias: table.alias || name, relation }], indirect: relation.indirect }
    }
    case 'SUBQUERY': {
      let relation = selectLineage(tables, table.subquery?.node, ctes, outer)
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
      const left = fromItem(tables, table.left, ctes, outer)
      const right = fromItem(tables, table.right, ctes, outer)
      const scope = [...left.scope, ...right.scope]
      const join = indirectly('JOIN')
      const keys = [
        ...dependencies(tables, table.condition, [...scope, ...outer], join),
        ...(table.using_columns ?? []).flatMap((column: string) =>
          scope.flatMap((e) =>
            (e.relation.columns.get(column) ?? []).map((d) => through(d, join, false)),
          ),
        ),
      ]
      return { scope, indirect: [...left.indirect, ...right.indirect, ...keys] }
    }
    default:
      return { scope: [], indirect: [] }
  }
}

/** UNION, EXCEPT, INTERSECT: each column from both sides' columns at its position. */
function setOperation(left: Relation, right: Relation): Relation {
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

/** A SELECT list's output columns, and each item's dependencies by position (`*` has none). */
function selectList(tables: InputTables, node: Node, from: ScopeEntry[], scope: ScopeEntry[]) {
  const columns = new Map<string, Dep[]>()
  const perItem: Dep[][] = []
  for (const [i, expr] of (node.select_list ?? []).entries()) {
    if (expr.class === 'STAR') {
      const excluded = new Set<string>(
        (expr.exclude_list ?? []).map((e: Node) =>
          typeof e === 'string' ? e : String(e?.column_names?.at(-1) ?? e),
        ),
      )
      for (const entry of from) {
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
    const deps = unique(dependencies(tables, expr, scope, IDENTITY))
    perItem.push(deps)
    columns.set(name, deps)
  }
  return { columns, perItem }
}

/** GROUP BY: 2 names the second output column; GROUP BY ALL groups by every non-aggregate one. */
function groupings(tables: InputTables, node: Node, scope: ScopeEntry[], perItem: Dep[][]) {
  const groupBy = indirectly('GROUP_BY')
  const groups = (node.group_expressions ?? []).flatMap((g: Node) => {
    const position = g?.class === 'CONSTANT' ? Number(g.value?.value) : Number.NaN
    return Number.isInteger(position)
      ? (perItem[position - 1] ?? []).map((d) => through(d, groupBy, false))
      : dependencies(tables, g, scope, groupBy)
  })
  const groupAll =
    node.aggregate_handling === 'FORCE_AGGREGATES'
      ? perItem
          .filter((_, i) => !hasAggregate(node.select_list?.[i]))
          .flat()
          .map((d) => through(d, groupBy, false))
      : []
  return [...groups, ...groupAll]
}

/**
 * The relation a query node makes: per output column what it depends on, and what every row
 * depends on. Names resolve through its CTEs, FROM clause and then the enclosing query's `outer`.
 */
export function selectLineage(
  tables: InputTables,
  node: Node,
  ctes: Map<string, Relation>,
  outer: ScopeEntry[],
): Relation {
  if (!node) return empty()
  if (node.type === 'SET_OPERATION_NODE')
    return setOperation(
      selectLineage(tables, node.left, ctes, outer),
      selectLineage(tables, node.right, ctes, outer),
    )
  if (node.type !== 'SELECT_NODE') return empty()
  const local = new Map(ctes)
  for (const cte of node.cte_map?.map ?? [])
    local.set(cte.key, selectLineage(tables, cte.value?.query?.node, local, outer))
  const from = fromItem(tables, node.from_table, local, outer)
  const scope = [...from.scope, ...outer]
  const { columns, perItem } = selectList(tables, node, from.scope, scope)
  const indirect = (exprs: Node, subtype: Subtype) =>
    dependencies(tables, exprs, scope, indirectly(subtype))
  const orders = (node.modifiers ?? [])
    .filter((m: Node) => m.type === 'ORDER_MODIFIER')
    .flatMap((m: Node) => (m.orders ?? []).map((o: Node) => o.expression))
  return {
    columns,
    indirect: unique([
      ...from.indirect,
      ...indirect(node.where_clause, 'FILTER'),
      ...groupings(tables, node, scope, perItem),
      ...indirect(node.having, 'FILTER'),
      ...indirect(node.qualify, 'FILTER'),
      ...indirect(orders, 'SORT'),
    ]),
  }
}
