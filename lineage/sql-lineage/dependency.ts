import type { ColumnTransformation } from '../facets.js'

export type Subtype = ColumnTransformation['subtype']
type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION'

/** How an expression uses what it is made from. */
export type Use =
  | { type: 'DIRECT'; subtype: DirectSubtype }
  | { type: 'INDIRECT'; subtype: Subtype }

/** One input column a value depends on, and how. */
export interface Dep {
  table: string
  column: string
  type: 'DIRECT' | 'INDIRECT'
  subtype: Subtype
  masking: boolean
}

/** A table, CTE or subquery as a query sees it: what each column and every row depend on. */
export interface Relation {
  columns: Map<string, Dep[]>
  /** What every row of the relation depends on (joins, filters, groupings). */
  indirect: Dep[]
}

/** A relation a query can name, under its alias. */
export interface ScopeEntry {
  alias: string
  relation: Relation
}

// biome-ignore lint/suspicious/noExplicitAny: DuckDB's serialized AST is walked generically.
export type Node = any

export const IDENTITY: Use = { type: 'DIRECT', subtype: 'IDENTITY' }
export const indirectly = (subtype: Subtype): Use => ({ type: 'INDIRECT', subtype })

const DIRECT_RANK: Record<DirectSubtype, number> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
}

/** The way a dependency reaches the outside, through one more use of it. */
export function through(dep: Dep, use: Use, masking: boolean): Dep {
  if (use.type === 'INDIRECT')
    return { ...dep, type: 'INDIRECT', subtype: use.subtype, masking: dep.masking || masking }
  if (dep.type === 'INDIRECT') return { ...dep, masking: dep.masking || masking }
  const inner = dep.subtype as DirectSubtype
  const subtype = DIRECT_RANK[use.subtype] > DIRECT_RANK[inner] ? use.subtype : inner
  return { ...dep, subtype, masking: dep.masking || masking }
}

/** Each dependency once (per column, type and subtype), masked if any of its copies is. */
export function unique(deps: Dep[]): Dep[] {
  const seen = new Map<string, Dep>()
  for (const d of deps) {
    const k = `${d.table}\u0000${d.column}\u0000${d.type}\u0000${d.subtype}`
    const found = seen.get(k)
    if (!found) seen.set(k, d)
    else if (d.masking && !found.masking) seen.set(k, d)
  }
  return [...seen.values()]
}
