import { hmacSql } from '../../keys/index.js'
import { DOS_PERSONS, SLA_ADDRESSES } from '../contracts/ssot-feeds.js'
import { ageBandSql } from './age-bands.js'
import type { Pipeline } from './pipeline.js'

/**
 * TC-DoS `person_address_pa` (DOMAIN.md §8.3): one row per person, deduplicated by NRIC/FIN
 * (latest record wins), placed in the planning area of their registered postal code through
 * SLA's geocoded postal points. The identifier leaves the Trusted Centre only as a keyed hash
 * (HMAC-SHA-256 under the `person` pseudonym key).
 */
export const PERSON_ADDRESS_PIPELINE: Pipeline = {
  id: 'person_address_pa',
  inputs: [DOS_PERSONS, SLA_ADDRESSES],
  key: ['person_key'],
  sql: `
WITH latest AS (
  -- The newest record of each person, and whether their records hold more than one postal code
  -- (their lowest and highest differ): one pass over the records, partitioned by person once.
  SELECT *,
    coalesce(min(reg_postal) OVER person <> max(reg_postal) OVER person, false) AS address_conflict
  FROM dos_persons
  WINDOW person AS (PARTITION BY uinfin)
  QUALIFY row_number() OVER (PARTITION BY uinfin ORDER BY record_updated_at DESC, _row DESC) = 1
),
addresses AS (
  SELECT * FROM sla_addresses QUALIFY row_number() OVER (PARTITION BY postal ORDER BY _row DESC) = 1
),
as_of AS (
  -- Ages are computed as of the newest record in the delivery, never the wall clock,
  -- so the same inputs always give the same output.
  SELECT max(record_updated_at)::DATE AS day FROM dos_persons
)
SELECT
  left(${hmacSql('person_key', 'p.uinfin')}, 32) AS person_key,
  ${ageBandSql('p.dob', 'as_of.day')} AS age_band,
  p.sex,
  p.race_code,
  p.residential_status,
  p.reg_postal AS postal_code,
  substr(p.reg_postal, 1, 2) AS postal_sector,
  sector.district AS postal_district,
  a.planning_area_code,
  area.name AS planning_area_name,
  a.region_code,
  CASE WHEN a.postal IS NULL THEN 'UNMATCHED' ELSE 'SLA_MATCHED' END AS address_source,
  p.address_conflict,
  list_filter([
    CASE WHEN a.postal IS NULL THEN 'postal_not_in_sla' END,
    CASE WHEN p.address_conflict THEN 'conflicting_addresses' END,
    CASE WHEN a.postal IS NOT NULL AND a.latitude IS NULL THEN 'no_geocode' END,
    CASE WHEN a.postal IS NOT NULL AND p.reg_block IS DISTINCT FROM a.blk_no THEN 'block_mismatch' END
  ], flag -> flag IS NOT NULL) AS dq_flags,
  -- Provenance: the delivery (ingest run) and row each part of the record came from.
  p._run || '#' || p._row AS person_source,
  a._run || '#' || a._row AS address_source_record
FROM latest p
CROSS JOIN as_of
LEFT JOIN addresses a ON a.postal = p.reg_postal
LEFT JOIN ref_postal_sectors sector ON sector.sector = substr(p.reg_postal, 1, 2)
LEFT JOIN ref_planning_areas area ON area.code = a.planning_area_code`,
  assertions: [
    { kind: 'not-null', column: 'person_key', severity: 'blocking' },
    { kind: 'unique', columns: ['person_key'], severity: 'blocking' },
    { kind: 'not-null', column: 'age_band', severity: 'blocking' },
    {
      kind: 'coverage',
      name: 'address matched by SLA',
      condition: "address_source = 'SLA_MATCHED'",
      min: 0.95,
      severity: 'warning',
    },
  ],
  sample: {
    size: 1000,
    groups: {
      residential_status: { resident: ['C', 'P'], 'non-resident': ['N'] },
    },
    // The dataset's main dimension: kept where k allows.
    keep: { geography: 'planning area' },
  },
  dataset: {
    slug: 'person-address-pa',
    title: 'Persons by residential planning area',
    description:
      'One row per registered person (citizens, permanent residents and pass holders), deduplicated ' +
      'by NRIC/FIN with the latest record winning, placed in the URA planning area and region of ' +
      'their registered postal code using SLA geocodes. Persons are identified only by a keyed ' +
      'pseudonym; ages are given as bands.',
    agency: 'DOS',
    trustedCentre: 'TC-DoS',
    sourceSsots: ['ica', 'sla'],
    classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
    themes: ['Population', 'Geospatial'],
    tags: ['residents', 'citizens', 'permanent residents', 'address', 'planning area', 'age'],
    updateFrequency: 'daily',
    columns: [
      {
        name: 'person_key',
        description: 'Keyed pseudonym of the NRIC/FIN; stable across versions',
        personalData: 'direct-identifier',
      },
      {
        name: 'age_band',
        description: 'Age band as of the newest record: 0-17, 18-34, 35-49, 50-64, 65+',
        personalData: 'quasi-identifier',
      },
      { name: 'sex', description: 'M or F', personalData: 'quasi-identifier' },
      { name: 'race_code', description: 'CN, MY, IN or OT', personalData: 'sensitive' },
      {
        name: 'residential_status',
        description: 'C citizen, P permanent resident, N non-resident',
        personalData: 'quasi-identifier',
      },
      {
        name: 'postal_code',
        description: 'Postal code of the registered address',
        personalData: 'quasi-identifier',
        isCoreField: true,
        authoritySsot: 'sla',
      },
      {
        name: 'postal_sector',
        description: 'First two digits of the postal code',
        personalData: 'quasi-identifier',
      },
      {
        name: 'postal_district',
        description: 'Old postal district (01–28) of the sector',
        personalData: 'quasi-identifier',
      },
      {
        name: 'planning_area_code',
        description: 'URA MP2019 planning area code, from SLA geocodes',
        personalData: 'quasi-identifier',
        isCoreField: true,
        authoritySsot: 'ura',
      },
      {
        name: 'planning_area_name',
        description: 'URA MP2019 planning area name',
        personalData: 'quasi-identifier',
      },
      {
        name: 'region_code',
        description: 'URA region: CR, ER, NR, NER or WR',
        personalData: 'none',
      },
      {
        name: 'address_source',
        description: 'SLA_MATCHED when SLA geocodes the postal code, else UNMATCHED',
        personalData: 'none',
      },
      {
        name: 'address_conflict',
        description: 'True when the register holds different postal codes for the person',
        personalData: 'none',
      },
      {
        name: 'dq_flags',
        description:
          'Data-quality flags: postal_not_in_sla, conflicting_addresses, no_geocode, block_mismatch',
        personalData: 'none',
      },
      {
        name: 'person_source',
        description: 'Provenance: ingest run and row of the winning person record',
        personalData: 'direct-identifier',
      },
      {
        name: 'address_source_record',
        description: 'Provenance: ingest run and row of the SLA address record',
        personalData: 'direct-identifier',
      },
    ],
  },
}
