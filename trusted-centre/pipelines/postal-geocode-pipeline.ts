import { SLA_ADDRESSES } from '../contracts/ssot-feeds.js'
import type { Pipeline } from './pipeline.js'

/** TC-SLA `postal_geocode_reference` (DOMAIN.md §8.3): every accepted postal point with its place. */
export const POSTAL_GEOCODE_PIPELINE: Pipeline = {
  id: 'postal_geocode_reference',
  inputs: [SLA_ADDRESSES],
  key: ['postal_code'],
  sql: `
SELECT
  a.postal AS postal_code,
  a.latitude,
  a.longitude,
  a.x_svy21,
  a.y_svy21,
  a.postal_sector,
  a.postal_district,
  a.planning_area_code,
  area.name AS planning_area_name,
  a.region_code,
  CASE WHEN a.latitude IS NULL OR a.longitude IS NULL THEN 'NO_MATCH' ELSE 'OK' END AS geocode_status,
  a._run || '#' || a._row AS source_record
FROM sla_addresses a
LEFT JOIN ref_planning_areas area ON area.code = a.planning_area_code
QUALIFY row_number() OVER (PARTITION BY a.postal ORDER BY a._row DESC) = 1`,
  assertions: [
    { kind: 'unique', columns: ['postal_code'], severity: 'blocking' },
    { kind: 'range', column: 'latitude', min: 1.15, max: 1.48, severity: 'blocking' },
    { kind: 'range', column: 'longitude', min: 103.59, max: 104.12, severity: 'blocking' },
    {
      kind: 'coverage',
      name: 'geocoded',
      condition: "geocode_status = 'OK'",
      min: 0.95,
      severity: 'warning',
    },
  ],
  dataset: {
    slug: 'postal-geocode-reference',
    title: 'Postal code geocode reference',
    description:
      'Every valid postal code SLA geocodes, with latitude and longitude (WGS84), SVY21 coordinates, ' +
      'postal sector and district, and the URA planning area and region. Postal codes SLA could not ' +
      'geocode are kept with geocode_status NO_MATCH.',
    agency: 'SLA',
    trustedCentre: 'TC-SLA',
    sourceSsots: ['sla'],
    classification: { security: 'official-open', sensitivity: 'non-sensitive' },
    themes: ['Geospatial'],
    tags: ['postal code', 'geocode', 'address', 'coordinates', 'OneMap'],
    updateFrequency: 'weekly',
    columns: [
      { name: 'postal_code', description: 'Six-digit postal code', personalData: 'none' },
      { name: 'latitude', description: 'WGS84 latitude', personalData: 'none' },
      { name: 'longitude', description: 'WGS84 longitude', personalData: 'none' },
      { name: 'x_svy21', description: 'SVY21 easting (m)', personalData: 'none' },
      { name: 'y_svy21', description: 'SVY21 northing (m)', personalData: 'none' },
      {
        name: 'postal_sector',
        description: 'First two digits of the postal code',
        personalData: 'none',
      },
      { name: 'postal_district', description: 'Old postal district (01–28)', personalData: 'none' },
      {
        name: 'planning_area_code',
        description: 'URA MP2019 planning area code',
        personalData: 'none',
        isCoreField: true,
        authoritySsot: 'ura',
      },
      {
        name: 'planning_area_name',
        description: 'URA MP2019 planning area name',
        personalData: 'none',
      },
      { name: 'region_code', description: 'URA region', personalData: 'none' },
      {
        name: 'geocode_status',
        description: 'OK, or NO_MATCH when SLA has no coordinates',
        personalData: 'none',
      },
      {
        name: 'source_record',
        description: 'Provenance: ingest run and row of the SLA record',
        personalData: 'none',
      },
    ],
  },
}
