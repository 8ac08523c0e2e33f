import {
  type DuckDBInstance,
  quoteIdent,
  quoteLiteral,
  readRows,
  withConnection,
} from '../core/index.js'
import type { KpiDefinition } from './kpi-definition.js'
import type { KpiRow } from './kpi-row.js'
import { REGISTER_KPI_SQL } from './register-kpi-sql.js'

/** A view name for a dataset slug: `digital-services-register` → `digital_services_register`. */
const viewName = (slug: string) => slug.replaceAll('-', '_')

/**
 * Runs the SQL of each register KPI in DuckDB over the dataset files (slug → Parquet path) as
 * views named after their slugs, with a `years` table of `years`; returns each KPI's rows by number.
 */
export async function readRegisterKpiRows(
  duckdb: DuckDBInstance,
  files: ReadonlyMap<string, string>,
  years: readonly number[],
  definitions: readonly KpiDefinition[],
): Promise<Map<number, KpiRow[]>> {
  const values = new Map<number, KpiRow[]>()
  await withConnection(
    () => duckdb.connect(),
    async (conn) => {
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE years AS SELECT range::INTEGER AS year FROM range(${years[0]}, ${(years.at(-1) as number) + 1})`,
      )
      for (const [slug, path] of files)
        await conn.run(
          `CREATE OR REPLACE TEMP VIEW ${quoteIdent(viewName(slug))} AS SELECT * FROM read_parquet(${quoteLiteral(path)})`,
        )
      for (const definition of definitions) {
        const sql = REGISTER_KPI_SQL[definition.number]
        if (!sql) continue
        // A KPI whose datasets are not published yet has no values (rather than wrong ones).
        if (!definition.datasets.every((slug) => files.has(slug))) continue
        const rows = await readRows<{
          year: number
          by: KpiRow['by']
          group: string
          value: number
          numerator: number | string
          denominator: number | string
        }>(conn, sql)
        values.set(
          definition.number,
          rows.map((r) => ({
            year: Number(r.year),
            quarter: 0,
            by: r.by,
            group: r.group,
            value: Number(r.value),
            numerator: Number(r.numerator),
            denominator: Number(r.denominator),
          })),
        )
      }
    },
  )
  return values
}
