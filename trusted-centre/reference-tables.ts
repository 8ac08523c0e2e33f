import type { DuckDBConnection } from '../core/index.js'
import { PLANNING_AREAS, POSTAL_SECTORS } from '../core/index.js'
import { quoteLiteral } from './duckdb-sql.js'

/** Loads the reference data pipelines join with (planning areas, postal sectors) into DuckDB. */
export async function createReferenceTables(conn: DuckDBConnection): Promise<void> {
  const areas = PLANNING_AREAS.map(
    (a) => `(${quoteLiteral(a.code)}, ${quoteLiteral(a.name)}, ${quoteLiteral(a.region)})`,
  ).join(', ')
  const sectors = POSTAL_SECTORS.map(
    (s) => `(${quoteLiteral(s.sector)}, ${quoteLiteral(s.district)})`,
  ).join(', ')
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE ref_planning_areas AS SELECT * FROM (VALUES ${areas}) t(code, name, region);
    CREATE OR REPLACE TEMP TABLE ref_postal_sectors AS SELECT * FROM (VALUES ${sectors}) t(sector, district);`)
}
