import type { DuckDBConnection } from '../core/index.js'
import type { ColumnSource } from './facets.js'
import { type Dep, type Node, unique } from './sql-lineage/dependency.js'
import { selectLineage } from './sql-lineage/select-lineage.js'

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

/** The one statement of `sql`, as DuckDB parses it (`json_serialize_sql`). */
async function parseStatement(connection: DuckDBConnection, sql: string): Promise<Node> {
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
  return statement.node
}

/** Dependencies as OpenLineage input fields: one per input column, with each way it is used. */
function columnSources(deps: Dep[], tables: Readonly<Record<string, SqlTable>>): ColumnSource[] {
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
  const statement = await parseStatement(connection, sql)
  const result = selectLineage(tables, statement, new Map(), [])
  return {
    fields: Object.fromEntries(
      [...result.columns].map(([name, deps]) => [name, columnSources(deps, tables)]),
    ),
    dataset: columnSources(result.indirect, tables),
  }
}
