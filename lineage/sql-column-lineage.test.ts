import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DuckDBConnection } from '../core/index.js'
import { columnLineageOfSql, type SqlTable } from './sql-column-lineage.js'

const table = (name: string, columns: string[]): SqlTable => ({
  namespace: 'staging',
  name,
  columns,
})
const TABLES = {
  persons: table('persons', ['_row', 'uin', 'dob', 'sex', 'postal', 'updated_at']),
  addresses: table('addresses', ['_row', 'postal', 'area', 'lat']),
  areas: table('areas', ['code', 'name']),
}

/** `field <- table.column TYPE/SUBTYPE` lines, sorted, for readable expectations. */
const edges = (lineage: Awaited<ReturnType<typeof columnLineageOfSql>>) => ({
  fields: Object.entries(lineage.fields)
    .flatMap(([field, sources]) =>
      sources.flatMap((s) =>
        s.transformations.map(
          (t) =>
            `${field} <- ${s.name}.${s.field} ${t.type}/${t.subtype}${t.masking ? ' masked' : ''}`,
        ),
      ),
    )
    .sort(),
  dataset: lineage.dataset
    .flatMap((s) => s.transformations.map((t) => `${s.name}.${s.field} ${t.type}/${t.subtype}`))
    .sort(),
})

describe('column lineage from SQL, by DuckDB’s parser', () => {
  let connection: DuckDBConnection
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect()
  })

  it('follows CTEs, aliases, stars, joins and USING down to the input columns', async () => {
    const lineage = await columnLineageOfSql(
      connection,
      `WITH latest AS (
         SELECT * FROM persons QUALIFY row_number() OVER (PARTITION BY uin ORDER BY updated_at DESC) = 1
       ),
       counts AS (SELECT uin, count(DISTINCT postal) > 1 AS moved FROM persons GROUP BY uin)
       SELECT
         substr(sha256('k' || p.uin), 1, 32) AS person_key,
         p.sex,
         p.postal AS postal_code,
         CASE WHEN a.lat IS NULL THEN 'none' ELSE ar.name END AS area_name,
         moved,
         list_filter([a.area], x -> x IS NOT NULL) AS flags
       FROM latest p
       JOIN counts USING (uin)
       LEFT JOIN addresses a ON a.postal = p.postal
       LEFT JOIN areas ar ON ar.code = a.area
       WHERE p.dob < DATE '2010-01-01'`,
      TABLES,
    )
    expect(edges(lineage)).toEqual({
      fields: [
        'area_name <- addresses.lat INDIRECT/CONDITIONAL',
        'area_name <- areas.name DIRECT/TRANSFORMATION',
        'flags <- addresses.area DIRECT/TRANSFORMATION',
        'moved <- persons.postal DIRECT/AGGREGATION',
        'person_key <- persons.uin DIRECT/TRANSFORMATION masked',
        'postal_code <- persons.postal DIRECT/IDENTITY',
        'sex <- persons.sex DIRECT/IDENTITY',
      ],
      dataset: [
        'addresses.area INDIRECT/JOIN',
        'addresses.postal INDIRECT/JOIN',
        'areas.code INDIRECT/JOIN',
        'persons.dob INDIRECT/FILTER',
        'persons.postal INDIRECT/JOIN',
        'persons.uin INDIRECT/FILTER',
        'persons.uin INDIRECT/GROUP_BY',
        'persons.uin INDIRECT/JOIN',
        'persons.updated_at INDIRECT/FILTER',
      ],
    })
  })

  it('handles GROUP BY ALL, positions, unions, subqueries and ORDER BY', async () => {
    const lineage = await columnLineageOfSql(
      connection,
      `SELECT area, count(*) FILTER (WHERE lat > 1) AS n, max(postal) AS top
         FROM (SELECT area, lat, postal FROM addresses UNION ALL SELECT name, NULL, code FROM areas) t
         WHERE area IN (SELECT code FROM areas)
         GROUP BY ALL ORDER BY 2`,
      TABLES,
    )
    expect(edges(lineage)).toEqual({
      fields: [
        'area <- addresses.area DIRECT/IDENTITY',
        'area <- areas.name DIRECT/IDENTITY',
        'n <- addresses.lat INDIRECT/FILTER',
        'top <- addresses.postal DIRECT/AGGREGATION',
        'top <- areas.code DIRECT/AGGREGATION',
      ],
      dataset: [
        'addresses.area INDIRECT/FILTER',
        'addresses.area INDIRECT/GROUP_BY',
        'areas.code INDIRECT/FILTER',
        'areas.name INDIRECT/FILTER',
        'areas.name INDIRECT/GROUP_BY',
      ],
    })
  })

  it('refuses what is not one parsable statement', async () => {
    await expect(columnLineageOfSql(connection, 'SELEC nothing', TABLES)).rejects.toThrow(
      /does not parse/,
    )
    await expect(columnLineageOfSql(connection, 'SELECT 1; SELECT 2', TABLES)).rejects.toThrow(
      /exactly one/,
    )
  })
})
