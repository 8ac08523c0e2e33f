import {
  type LineageDataset,
  lineageFacets,
  PORTAL_NAMESPACE,
  type SqlColumnLineage,
} from '../../lineage/index.js'
import { PLANNING_AREAS, POSTAL_SECTORS } from '../../reference/index.js'
import { REFERENCE_TABLES } from '../reference-tables.js'

/** Where lineage names the reference tables pipelines join with. */
export const REFERENCE_NAMESPACE = `${PORTAL_NAMESPACE}.reference`

type ReferenceTable = keyof typeof REFERENCE_TABLES
type ReferenceColumns = {
  [T in ReferenceTable]: {
    [C in (typeof REFERENCE_TABLES)[T][number]]: { type: string; description: string }
  }
}

/**
 * Each reference table's columns as DuckDB types them when it loads them (lineage-events.test.ts
 * checks the types against the loaded tables), and what each holds.
 */
const REFERENCE_COLUMNS: ReferenceColumns = {
  ref_planning_areas: {
    code: {
      type: 'VARCHAR',
      description: 'Two-letter code of the URA Master Plan 2019 planning area',
    },
    name: { type: 'VARCHAR', description: 'Name of the planning area' },
    region: { type: 'VARCHAR', description: 'Code of the URA region the planning area is in' },
    point_lat: { type: 'DECIMAL(5,4)', description: 'Latitude of a point inside the area (WGS84)' },
    point_lon: {
      type: 'DECIMAL(7,4)',
      description: 'Longitude of a point inside the area (WGS84)',
    },
    min_lat: { type: 'DECIMAL(5,4)', description: 'Southern edge of the bounding box' },
    min_lon: { type: 'DECIMAL(7,4)', description: 'Western edge of the bounding box' },
    max_lat: { type: 'DECIMAL(5,4)', description: 'Northern edge of the bounding box' },
    max_lon: { type: 'DECIMAL(7,4)', description: 'Eastern edge of the bounding box' },
  },
  ref_ssic_divisions: {
    division: { type: 'INTEGER', description: 'SSIC division: the first two digits of a code' },
    section: { type: 'VARCHAR', description: 'Letter of the SSIC section the division is in' },
    title: { type: 'VARCHAR', description: 'Title of the SSIC section' },
  },
  ref_postal_sectors: {
    sector: {
      type: 'VARCHAR',
      description: 'Postal sector: the first two digits of a postal code',
    },
    district: { type: 'VARCHAR', description: 'The old postal district (01–28) of the sector' },
  },
}

const DOCUMENTATION: Record<ReferenceTable, string> = {
  ref_planning_areas: `The ${PLANNING_AREAS.length} URA Master Plan 2019 planning areas, as the portal ships them`,
  ref_ssic_divisions: 'SSIC divisions and the sections they belong to, as the portal ships them',
  ref_postal_sectors: `The ${POSTAL_SECTORS.length} valid postal sectors and their postal districts, as the portal ships them`,
}

const isReferenceTable = (name: string): name is ReferenceTable => name in REFERENCE_TABLES

/**
 * A reference table as a lineage dataset: its columns, typed and described, in the table's order
 * ({@link REFERENCE_COLUMNS} lists them so; lineage-events.test.ts checks it).
 */
export function referenceDataset(table: ReferenceTable): LineageDataset {
  const columns: Record<string, { type: string; description: string }> = REFERENCE_COLUMNS[table]
  return {
    namespace: REFERENCE_NAMESPACE,
    name: table,
    facets: {
      schema: lineageFacets.schema(
        Object.entries(columns).map(([name, column]) => ({ name, ...column })),
      ),
      documentation: lineageFacets.datasetDocumentation(DOCUMENTATION[table]),
    },
  }
}

/**
 * The reference tables a pipeline's SQL reads, as its column lineage (from DuckDB's parse tree)
 * names them: for an output column or for the whole output (a join key). In the order of
 * {@link REFERENCE_TABLES}.
 */
export function referenceTablesRead(lineage: SqlColumnLineage): ReferenceTable[] {
  const named = new Set(
    [...Object.values(lineage.fields).flat(), ...lineage.dataset]
      .filter((source) => source.namespace === REFERENCE_NAMESPACE)
      .map((source) => source.name),
  )
  return Object.keys(REFERENCE_TABLES).filter(
    (table): table is ReferenceTable => isReferenceTable(table) && named.has(table),
  )
}

/** The SQL's view of the reference tables: each one's lineage dataset and its columns. */
export function referenceSqlTables() {
  return Object.fromEntries(
    Object.entries(REFERENCE_TABLES).map(([table, columns]) => [
      table,
      { namespace: REFERENCE_NAMESPACE, name: table, columns },
    ]),
  )
}
