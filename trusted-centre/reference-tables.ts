import type { DuckDBConnection } from '../core/index.js'
import { quoteLiteral } from '../core/index.js'
import { PLANNING_AREAS, POSTAL_SECTORS, SSIC_SECTIONS } from '../reference/index.js'

/** The reference tables pipelines may join with, and their columns (also for column lineage). */
export const REFERENCE_TABLES = {
  ref_planning_areas: [
    'code',
    'name',
    'region',
    'point_lat',
    'point_lon',
    'min_lat',
    'min_lon',
    'max_lat',
    'max_lon',
  ],
  ref_ssic_divisions: ['division', 'section', 'title'],
  ref_postal_sectors: ['sector', 'district'],
} as const

const columnsOf = (table: keyof typeof REFERENCE_TABLES) => REFERENCE_TABLES[table].join(', ')

/** Loads the reference data pipelines join with (planning areas, postal sectors, SSIC divisions) into DuckDB. */
export async function createReferenceTables(conn: DuckDBConnection): Promise<void> {
  const areas = PLANNING_AREAS.map(
    (a) =>
      `(${[a.code, a.name, a.region].map(quoteLiteral).join(', ')}, ${a.point.join(', ')}, ${a.bbox.join(', ')})`,
  ).join(', ')
  const divisions = SSIC_SECTIONS.flatMap((s) =>
    Array.from(
      { length: s.divisions[1] - s.divisions[0] + 1 },
      (_, i) => `(${s.divisions[0] + i}, ${quoteLiteral(s.section)}, ${quoteLiteral(s.title)})`,
    ),
  ).join(', ')
  const sectors = POSTAL_SECTORS.map(
    (s) => `(${quoteLiteral(s.sector)}, ${quoteLiteral(s.district)})`,
  ).join(', ')
  await conn.run(`
    CREATE OR REPLACE TEMP TABLE ref_planning_areas AS SELECT * FROM (VALUES ${areas})
      t(${columnsOf('ref_planning_areas')});
    CREATE OR REPLACE TEMP TABLE ref_ssic_divisions AS SELECT * FROM (VALUES ${divisions}) t(${columnsOf('ref_ssic_divisions')});
    CREATE OR REPLACE TEMP TABLE ref_postal_sectors AS SELECT * FROM (VALUES ${sectors}) t(${columnsOf('ref_postal_sectors')});`)
}
