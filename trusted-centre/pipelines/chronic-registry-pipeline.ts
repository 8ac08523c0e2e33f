import { hmacSql } from '../../keys/index.js'
import { DOS_PERSONS, MOH_CHRONIC_REGISTRY, SLA_ADDRESSES } from '../contracts/ssot-feeds.js'
import { ageBandSql } from './age-bands.js'
import type { Pipeline } from './pipeline.js'

/**
 * TC-MOH `chronic_disease_registry`: one row per person and chronic condition, with the person's
 * age band, sex and planning area from the population and address registers. Sensitive High: it
 * has no row-level sample, and is shared as aggregates whose every answer passes output checks
 * (or, after two approvals, row by row).
 */
export const CHRONIC_REGISTRY_PIPELINE: Pipeline = {
  id: 'chronic_disease_registry',
  inputs: [MOH_CHRONIC_REGISTRY, DOS_PERSONS, SLA_ADDRESSES],
  key: ['person_key', 'condition_code'],
  sql: `
WITH persons AS (
  SELECT * FROM dos_persons
  QUALIFY row_number() OVER (PARTITION BY uinfin ORDER BY record_updated_at DESC, _row DESC) = 1
),
addresses AS (
  SELECT * FROM sla_addresses QUALIFY row_number() OVER (PARTITION BY postal ORDER BY _row DESC) = 1
),
entries AS (
  SELECT * FROM moh_chronic_registry
  QUALIFY row_number() OVER (PARTITION BY uinfin, condition_code ORDER BY diagnosed_on, _row) = 1
),
as_of AS (SELECT max(record_updated_at)::DATE AS day FROM dos_persons)
SELECT
  left(${hmacSql('person_key', 'r.uinfin')}, 32) AS person_key,
  r.condition_code,
  r.diagnosed_on,
  date_part('year', r.diagnosed_on)::INTEGER AS diagnosed_year,
  r.institution_uen,
  ${ageBandSql('p.dob', 'as_of.day')} AS age_band,
  p.sex,
  a.planning_area_code,
  a.region_code,
  -- Days from diagnosis to the register's date: a measure for sums and means.
  (as_of.day - r.diagnosed_on)::INTEGER AS days_since_diagnosis
FROM entries r
CROSS JOIN as_of
LEFT JOIN persons p ON p.uinfin = r.uinfin
LEFT JOIN addresses a ON a.postal = p.reg_postal`,
  assertions: [
    { kind: 'not-null', column: 'person_key', severity: 'blocking' },
    { kind: 'unique', columns: ['person_key', 'condition_code'], severity: 'blocking' },
  ],
  dataset: {
    slug: 'chronic-disease-registry',
    title: 'Chronic disease registry',
    description:
      'Persons diagnosed with a chronic condition (ICD-10 category) by an MOH-licensed institution, ' +
      'with their age band, sex and planning area. Sensitive High: no sample; request it as ' +
      'aggregates, whose answers leave the Trusted Centre only once they pass output checks ' +
      '(minimum cell count, dominance, differencing).',
    agency: 'MOH',
    trustedCentre: 'TC-MOH',
    sourceSsots: ['moh', 'ica', 'sla'],
    classification: { security: 'confidential-cloud-eligible', sensitivity: 'sensitive-high' },
    themes: ['Health'],
    tags: ['chronic disease', 'diabetes', 'hypertension', 'registry', 'aggregates'],
    updateFrequency: 'monthly',
    columns: [
      {
        name: 'person_key',
        description: 'Keyed pseudonym of the NRIC/FIN; the unit counted in aggregates',
        personalData: 'direct-identifier',
      },
      {
        name: 'condition_code',
        description: 'ICD-10 category of the condition (E11, I10, E78, J45, N18, I25, J44)',
        personalData: 'sensitive',
      },
      { name: 'diagnosed_on', description: 'Date of diagnosis', personalData: 'quasi-identifier' },
      {
        name: 'diagnosed_year',
        description: 'Year of diagnosis',
        personalData: 'quasi-identifier',
      },
      {
        name: 'institution_uen',
        description: 'UEN of the diagnosing institution',
        personalData: 'quasi-identifier',
      },
      {
        name: 'age_band',
        description: 'Age band: 0-17, 18-34, 35-49, 50-64, 65+',
        personalData: 'quasi-identifier',
      },
      { name: 'sex', description: 'M or F', personalData: 'quasi-identifier' },
      {
        name: 'planning_area_code',
        description: 'URA planning area of the registered address',
        personalData: 'quasi-identifier',
      },
      { name: 'region_code', description: 'URA region', personalData: 'quasi-identifier' },
      {
        name: 'days_since_diagnosis',
        description: 'Days from diagnosis to the date of the population register',
        // The register's date less this is the date of diagnosis: it restates diagnosed_on.
        personalData: 'quasi-identifier',
      },
    ],
  },
}
