import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DuckDBConnection } from '../../core/index.js'
import type { SqlColumnLineage } from '../../lineage/index.js'
import { pipelineColumnLineage } from '../runs/run-lineage.js'
import { KPI_REGISTER_PIPELINES } from './kpi-register-pipelines.js'
import type { Pipeline } from './pipeline.js'
import { PIPELINES } from './pipelines.js'

/** `table.column TYPE/SUBTYPE` per output column, and for the dataset as a whole. */
function edges(lineage: SqlColumnLineage) {
  const describe = (sources: SqlColumnLineage['dataset']) =>
    sources
      .flatMap((s) =>
        s.transformations.map(
          (t) => `${s.name}.${s.field} ${t.type}/${t.subtype}${t.masking ? ' masked' : ''}`,
        ),
      )
      .sort()
  return {
    field: (name: string) => describe(lineage.fields[name] ?? []),
    dataset: describe(lineage.dataset),
    columns: Object.keys(lineage.fields),
  }
}

// Expected edges, read off each pipeline's SQL by hand.
describe('column lineage of the fusion pipelines, from their SQL', () => {
  let connection: DuckDBConnection
  const lineageOf = async (id: string) => {
    const pipeline = PIPELINES.find((p) => p.id === id) as Pipeline
    return edges(await pipelineColumnLineage(connection, pipeline))
  }
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect()
  })

  it('covers every output column of every pipeline', async () => {
    for (const pipeline of PIPELINES) {
      const lineage = await pipelineColumnLineage(connection, pipeline)
      expect(Object.keys(lineage.fields).sort(), pipeline.id).toEqual(
        pipeline.dataset.columns.map((c) => c.name).sort(),
      )
    }
  })

  it('person_address_pa: hashed key, copied and derived columns, joins and dedup', async () => {
    const l = await lineageOf('person_address_pa')
    expect(l.field('person_key')).toEqual(['dos_persons.uinfin DIRECT/TRANSFORMATION masked'])
    expect(l.field('sex')).toEqual(['dos_persons.sex DIRECT/IDENTITY'])
    expect(l.field('postal_code')).toEqual(['dos_persons.reg_postal DIRECT/IDENTITY'])
    expect(l.field('postal_sector')).toEqual(['dos_persons.reg_postal DIRECT/TRANSFORMATION'])
    expect(l.field('postal_district')).toEqual(['ref_postal_sectors.district DIRECT/IDENTITY'])
    expect(l.field('planning_area_code')).toEqual([
      'sla_addresses.planning_area_code DIRECT/IDENTITY',
    ])
    expect(l.field('planning_area_name')).toEqual(['ref_planning_areas.name DIRECT/IDENTITY'])
    // Postal codes compared across each person's records: a window partitioned by person.
    expect(l.field('address_conflict')).toEqual([
      'dos_persons.reg_postal DIRECT/AGGREGATION',
      'dos_persons.uinfin INDIRECT/WINDOW',
    ])
    // Bands are chosen by conditions on the birth date, as of the newest record.
    expect(l.field('age_band')).toEqual([
      'dos_persons.dob INDIRECT/CONDITIONAL',
      'dos_persons.record_updated_at INDIRECT/CONDITIONAL',
    ])
    expect(l.field('person_source')).toEqual([
      'dos_persons._row DIRECT/TRANSFORMATION',
      'dos_persons._run DIRECT/TRANSFORMATION',
    ])
    expect(l.dataset).toEqual(
      expect.arrayContaining([
        'dos_persons.reg_postal INDIRECT/JOIN',
        'sla_addresses.postal INDIRECT/JOIN',
        'dos_persons.uinfin INDIRECT/FILTER',
        'ref_postal_sectors.sector INDIRECT/JOIN',
        'ref_planning_areas.code INDIRECT/JOIN',
      ]),
    )
  })

  it('business_by_planning_area: aggregates by area, section and status', async () => {
    const l = await lineageOf('business_by_planning_area')
    expect(l.field('planning_area_code')).toEqual([
      'sla_addresses.planning_area_code DIRECT/TRANSFORMATION',
    ])
    expect(l.field('ssic_section')).toEqual(['ref_ssic_divisions.section DIRECT/TRANSFORMATION'])
    expect(l.field('status_group')).toEqual([
      'dos_businesses.entity_status_description INDIRECT/CONDITIONAL',
    ])
    expect(l.field('as_of_month')).toEqual(['dos_businesses.record_updated_at DIRECT/AGGREGATION'])
    // count(*) reads no column: what it counts is the dataset's grouping and filters.
    expect(l.field('entity_count')).toEqual([])
    expect(l.dataset).toEqual(
      expect.arrayContaining([
        'dos_businesses.postal_code INDIRECT/JOIN',
        'dos_businesses.primary_ssic_code INDIRECT/JOIN',
        'ref_ssic_divisions.division INDIRECT/JOIN',
        'sla_addresses.planning_area_code INDIRECT/GROUP_BY',
        'ref_ssic_divisions.section INDIRECT/GROUP_BY',
        'dos_businesses.uen INDIRECT/FILTER',
      ]),
    )
  })

  it('sensor_hourly_by_planning_area: hourly aggregates of readings placed in areas', async () => {
    const l = await lineageOf('sensor_hourly_by_planning_area')
    expect(l.field('hour')).toEqual(['govtech_sensor_readings.observed_at DIRECT/TRANSFORMATION'])
    expect(l.field('reading_type')).toEqual([
      'govtech_sensor_readings.reading_type DIRECT/IDENTITY',
    ])
    for (const column of ['value_mean', 'value_min', 'value_max', 'value_sum'])
      expect(l.field(column)).toEqual(['govtech_sensor_readings.value DIRECT/AGGREGATION'])
    expect(l.field('planning_area_code')).toEqual(['ref_planning_areas.code DIRECT/IDENTITY'])
    expect(l.dataset).toEqual(
      expect.arrayContaining([
        'govtech_sensor_readings.station_id INDIRECT/JOIN',
        'govtech_sensor_stations.station_id INDIRECT/JOIN',
        'govtech_sensor_readings.observed_at INDIRECT/GROUP_BY',
        'govtech_sensor_readings.reading_type INDIRECT/GROUP_BY',
      ]),
    )
  })

  it('postal_geocode_reference: copies of the SLA feed, names from the reference', async () => {
    const l = await lineageOf('postal_geocode_reference')
    for (const column of ['latitude', 'longitude', 'planning_area_code', 'region_code'])
      expect(l.field(column)).toEqual([`sla_addresses.${column} DIRECT/IDENTITY`])
    expect(l.field('postal_code')).toEqual(['sla_addresses.postal DIRECT/IDENTITY'])
    expect(l.field('planning_area_name')).toEqual(['ref_planning_areas.name DIRECT/IDENTITY'])
    expect(l.field('geocode_status')).toEqual([
      'sla_addresses.latitude INDIRECT/CONDITIONAL',
      'sla_addresses.longitude INDIRECT/CONDITIONAL',
    ])
    expect(l.dataset).toEqual(
      expect.arrayContaining([
        'ref_planning_areas.code INDIRECT/JOIN',
        'sla_addresses.planning_area_code INDIRECT/JOIN',
      ]),
    )
  })

  it('the KPI registers: each column copied from its feed, the newest row per key', async () => {
    for (const pipeline of KPI_REGISTER_PIPELINES) {
      const feed = pipeline.inputs[0]?.id as string
      const l = await lineageOf(pipeline.id)
      for (const column of pipeline.dataset.columns.filter((c) => c.name !== 'source_record'))
        expect(l.field(column.name), `${pipeline.id}.${column.name}`).toEqual([
          `${feed}.${column.name} DIRECT/IDENTITY`,
        ])
      expect(l.field('source_record')).toEqual([
        `${feed}._row DIRECT/TRANSFORMATION`,
        `${feed}._run DIRECT/TRANSFORMATION`,
      ])
      // Deduplication by key in QUALIFY: a filter on a window over the key, newest row first.
      expect(l.dataset).toEqual(
        [
          ...pipeline.key.map((k) => `${feed}.${k} INDIRECT/FILTER`),
          `${feed}._row INDIRECT/FILTER`,
        ].sort(),
      )
    }
  })
})
