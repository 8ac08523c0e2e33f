import { rulesToAST } from '@casl/ability/extra'
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import type { Action, AppAbility, SubjectType } from './ability.js'

interface AstNode {
  operator: string
  field?: string
  value: unknown
}

const COMPARISONS: Record<string, string> = {
  eq: '=',
  ne: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  in: 'in',
  nin: 'not in',
}

/**
 * Turns the caller's rules for an action into a SQL condition, so a list query returns only
 * rows the caller may see (counts included). `columns` maps rule fields to SQL column refs.
 * @example db.selectFrom('datasets').where(accessibleWhere(ability, 'read', 'Dataset', { agency: 'datasets.agency' }))
 */
export function accessibleWhere(
  ability: AppAbility,
  action: Action,
  subjectType: SubjectType,
  columns: Readonly<Record<string, string>>,
) {
  const ast = rulesToAST(ability, action, subjectType) as AstNode | null
  // biome-ignore lint/suspicious/noExplicitAny: works on any table the caller's query selects from
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    ast === null ? sql<boolean>`false` : toExpression(ast, eb, columns)
}

function toExpression(
  node: AstNode,
  // biome-ignore lint/suspicious/noExplicitAny: see accessibleWhere
  eb: ExpressionBuilder<any, any>,
  columns: Readonly<Record<string, string>>,
): Expression<SqlBool> {
  const children = () =>
    Array.isArray(node.value) ? (node.value as AstNode[]) : [node.value as AstNode]
  switch (node.operator) {
    case 'and': {
      const parts = children().map((child) => toExpression(child, eb, columns))
      return parts.length === 0 ? sql<boolean>`true` : eb.and(parts)
    }
    case 'or': {
      const parts = children().map((child) => toExpression(child, eb, columns))
      return parts.length === 0 ? sql<boolean>`false` : eb.or(parts)
    }
    case 'not': {
      const parts = children().map((child) => toExpression(child, eb, columns))
      return eb.not(parts.length === 1 ? (parts[0] as Expression<SqlBool>) : eb.and(parts))
    }
  }
  const op = COMPARISONS[node.operator]
  const column = node.field ? columns[node.field] : undefined
  if (!op || !column) {
    throw new Error(
      `Cannot turn rule '${node.operator}' on '${node.field}' into SQL: map the field or the operator`,
    )
  }
  const ref = sql.ref(column)
  if (node.value === null) return eb(ref, op === '=' ? 'is' : 'is not', null)
  if ((op === 'in' || op === 'not in') && Array.isArray(node.value) && node.value.length === 0) {
    return sql<boolean>`${sql.lit(op === 'not in')}`
  }
  // biome-ignore lint/suspicious/noExplicitAny: the operator is one of the mapped comparisons
  return eb(ref, op as any, node.value) as Expression<SqlBool>
}
