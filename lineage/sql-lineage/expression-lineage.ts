import {
  type Dep,
  type Node,
  type Relation,
  type ScopeEntry,
  type Subtype,
  through,
  type Use,
} from './dependency.js'
import { AGGREGATES, MASKING } from './sql-functions.js'

/** Where an expression stands: the names it sees and how its value is used. */
export interface ExpressionContext {
  scope: ScopeEntry[]
  use: Use
  /** Names that are a lambda's parameters here, not columns. */
  shadow: ReadonlySet<string>
  /** Whether a hash already hides what the expression is made from. */
  masking: boolean
  /** The relation a subquery makes, seeing the enclosing scope (for correlated names). */
  subquery: (node: Node, outer: ScopeEntry[]) => Relation
}

/** The dependencies a column name stands for in scope (none for a lambda parameter). */
function resolve(names: string[], scope: ScopeEntry[], shadow: ReadonlySet<string>): Dep[] {
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

/** The parameter names a lambda's left-hand side declares. */
function lambdaParameters(lhs: Node): string[] {
  return [
    ...(Array.isArray(lhs) ? lhs : [lhs]).flatMap((p: Node) => p?.column_names ?? []),
    ...(lhs?.children ?? []).flatMap((p: Node) => p?.column_names ?? []),
  ]
}

/** Every input column an expression depends on, and how. */
export function collect(expr: Node, at: ExpressionContext): Dep[] {
  if (!expr || typeof expr !== 'object') return []
  if (Array.isArray(expr)) return expr.flatMap((e) => collect(e, at))
  const { use, masking } = at
  const as = (next: Use): ExpressionContext => ({ ...at, use: next })
  const inner: Use =
    use.type === 'DIRECT' && use.subtype === 'IDENTITY'
      ? { type: 'DIRECT', subtype: 'TRANSFORMATION' }
      : use
  // Inside something already indirect (a QUALIFY's window, a filter's CASE), the outer reason holds.
  const indirect = (subtype: Subtype): ExpressionContext =>
    as(use.type === 'INDIRECT' ? use : { type: 'INDIRECT', subtype })
  // A function's arguments: aggregated when it aggregates, else computed from.
  const madeBy = (name: string): Use =>
    AGGREGATES.has(name) && use.type === 'DIRECT'
      ? { type: 'DIRECT', subtype: 'AGGREGATION' }
      : inner
  const expressions = (orders: Node) => (orders ?? []).map((o: Node) => o.expression)
  switch (expr.class) {
    case 'COLUMN_REF':
      return resolve(expr.column_names ?? [], at.scope, at.shadow).map((d) =>
        through(d, use, masking),
      )
    case 'CONSTANT':
      return []
    case 'CASE':
      return [
        ...(expr.case_checks ?? []).flatMap((check: Node) => [
          ...collect(check.when_expr, indirect('CONDITIONAL')),
          ...collect(check.then_expr, as(inner)),
        ]),
        ...collect(expr.else_expr, as(inner)),
      ]
    case 'FUNCTION': {
      const name = String(expr.function_name ?? '').toLowerCase()
      return [
        ...collect(expr.children, {
          ...as(madeBy(name)),
          masking: masking || MASKING.has(name),
        }),
        ...collect(expr.filter, indirect('FILTER')),
        ...collect(expressions(expr.order_bys?.orders), indirect('SORT')),
      ]
    }
    case 'WINDOW':
      return [
        ...collect(expr.children, as(madeBy(String(expr.function_name ?? '').toLowerCase()))),
        ...collect(expr.partitions, indirect('WINDOW')),
        ...collect(expressions(expr.orders), indirect('WINDOW')),
        ...collect(expr.filter_expr, indirect('FILTER')),
      ]
    case 'LAMBDA': {
      const shadow = new Set([...at.shadow, ...lambdaParameters(expr.lhs)])
      return collect(expr.expr, { ...as(inner), shadow })
    }
    case 'SUBQUERY': {
      const relation = at.subquery(expr.subquery?.node, at.scope)
      return [
        ...collect(expr.child, as(inner)),
        ...[...relation.columns.values()].flat().map((d) => through(d, inner, masking)),
        ...relation.indirect,
      ]
    }
    default: {
      // Operators, comparisons, casts, conjunctions…: every child expression, as a computation.
      const deps: Dep[] = []
      for (const [key, value] of Object.entries(expr)) {
        if (key === 'class' || key === 'type' || key === 'alias') continue
        if (value && typeof value === 'object') deps.push(...collect(value, as(inner)))
      }
      return deps
    }
  }
}
