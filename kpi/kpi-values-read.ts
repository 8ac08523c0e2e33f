import { type Kysely, sql } from 'kysely'
import type { KpiTarget } from './kpi-definition.js'
import type { KpiRow } from './kpi-row.js'
import type { KpiTables } from './kpi-tables.js'

/** A kept value of a KPI, as the routes serve it. */
export interface StoredKpiValue extends KpiRow {
  number: number
  target: KpiTarget | null
  /** null: no target for this breakdown. */
  status: string | null
  closed: boolean
}

/**
 * The values of a computation in one query, ordered as the routes list them. The rows come as
 * one JSON text: the embedded database hands back thousands of rows one by one many times slower
 * than it parses one document. Numbers keep their exact value (PostgreSQL writes a double in its
 * shortest exact form); NaN and the infinities come as strings, which Number reads back.
 */
export async function readValues(
  db: Kysely<KpiTables>,
  computationId: string,
  /** Only these KPIs' values; every KPI's if absent. */
  numbers?: readonly number[],
): Promise<StoredKpiValue[]> {
  if (numbers?.length === 0) return []
  const only = numbers ? sql`and number in (${sql.join(numbers)})` : sql``
  const { rows } = await sql<{ rows: string }>`
    select coalesce(json_agg(json_build_array(
        number, year, quarter, breakdown, member, value, numerator, denominator, target, status,
        closed
      ) order by number, year, quarter, breakdown, member), '[]')::text as rows
    from kpi_values where computation_id = ${computationId} ${only}`.execute(db)
  const values = JSON.parse(rows[0]?.rows ?? '[]') as ValueTuple[]
  return values.map((v) => ({
    number: v[0],
    year: v[1],
    quarter: v[2],
    by: v[3] as StoredKpiValue['by'],
    group: v[4],
    value: Number(v[5]),
    numerator: Number(v[6]),
    denominator: Number(v[7]),
    target: v[8],
    status: v[9] || null,
    closed: v[10],
  }))
}

type ValueTuple = [
  number,
  number,
  number,
  string,
  string,
  number | string,
  number | string,
  number | string,
  KpiTarget | null,
  string,
  boolean,
]
