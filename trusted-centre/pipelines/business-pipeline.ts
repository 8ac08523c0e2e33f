import { DOS_BUSINESSES, SLA_ADDRESSES } from '../contracts/ssot-feeds.js'
import type { Pipeline } from './pipeline.js'

/** Cells counting fewer entities than this are suppressed (published as NULL). */
export const SMALL_CELL_THRESHOLD = 3

const suppress = (measure: string) =>
  `CASE WHEN ${measure} > 0 AND ${measure} < ${SMALL_CELL_THRESHOLD} THEN NULL ELSE ${measure} END`

/**
 * TC-DoS `business_by_planning_area` (DOMAIN.md §8.3): live, closed and other entities by
 * planning area (via SLA geocodes of their registered postal code), SSIC section and month.
 * "Live" and "Live Company" are one status; counts under the threshold are suppressed.
 */
export const BUSINESS_PIPELINE: Pipeline = {
  id: 'business_by_planning_area',
  inputs: [DOS_BUSINESSES, SLA_ADDRESSES],
  key: ['planning_area_code', 'ssic_section', 'status_group', 'as_of_month'],
  sql: `
WITH latest AS (
  SELECT * FROM dos_businesses
  QUALIFY row_number() OVER (PARTITION BY uen ORDER BY record_updated_at DESC, _row DESC) = 1
),
as_of AS (SELECT date_trunc('month', max(record_updated_at))::DATE AS month FROM dos_businesses),
classified AS (
  SELECT
    coalesce(a.planning_area_code, 'UNMATCHED') AS planning_area_code,
    coalesce(d.section, 'UNKNOWN') AS ssic_section,
    CASE
      WHEN b.entity_status_description IN ('Live', 'Live Company') THEN 'live'
      WHEN b.entity_status_description IN ('Struck Off', 'Dissolved', 'Gone', 'Cancelled', 'Ceased') THEN 'closed'
      ELSE 'other'
    END AS status_group,
    b.registration_incorporation_date,
    b.entity_status_description
  FROM latest b
  LEFT JOIN (SELECT * FROM sla_addresses QUALIFY row_number() OVER (PARTITION BY postal ORDER BY _row DESC) = 1) a
    ON a.postal = b.postal_code
  LEFT JOIN ref_ssic_divisions d ON d.division = CAST(substr(b.primary_ssic_code, 1, 2) AS INTEGER)
),
counted AS (
  SELECT planning_area_code, ssic_section, status_group, as_of.month AS as_of_month,
    count(*) AS entity_count,
    count(*) FILTER (WHERE registration_incorporation_date >= as_of.month - INTERVAL 12 MONTH) AS new_registrations,
    count(*) FILTER (WHERE entity_status_description = 'Struck Off') AS struck_off
  FROM classified CROSS JOIN as_of
  GROUP BY ALL
)
SELECT planning_area_code, ssic_section, status_group, as_of_month,
  ${suppress('entity_count')} AS entity_count,
  ${suppress('new_registrations')} AS new_registrations,
  ${suppress('struck_off')} AS struck_off,
  (entity_count BETWEEN 1 AND ${SMALL_CELL_THRESHOLD - 1}
    OR new_registrations BETWEEN 1 AND ${SMALL_CELL_THRESHOLD - 1}
    OR struck_off BETWEEN 1 AND ${SMALL_CELL_THRESHOLD - 1}) AS suppressed
FROM counted`,
  assertions: [
    {
      kind: 'unique',
      columns: ['planning_area_code', 'ssic_section', 'status_group', 'as_of_month'],
      severity: 'blocking',
    },
    { kind: 'not-null', column: 'as_of_month', severity: 'blocking' },
    {
      kind: 'coverage',
      name: 'placed in a planning area',
      condition: "planning_area_code <> 'UNMATCHED'",
      min: 0.9,
      severity: 'warning',
    },
  ],
  dataset: {
    slug: 'business-by-planning-area',
    title: 'Business entities by planning area and industry',
    description:
      'Counts of registered business entities by URA planning area (from the SLA geocode of the ' +
      'registered postal code), SSIC section and status group (live, closed, other), with new ' +
      `registrations in the last 12 months and struck-off entities. Counts from 1 to ${SMALL_CELL_THRESHOLD - 1} are suppressed.`,
    agency: 'DOS',
    trustedCentre: 'TC-DoS',
    sourceSsots: ['acra', 'sla'],
    classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
    themes: ['Economy', 'Geospatial'],
    tags: ['companies', 'businesses', 'ACRA', 'UEN', 'SSIC', 'industry'],
    updateFrequency: 'monthly',
    columns: [
      {
        name: 'planning_area_code',
        description: 'URA planning area, or UNMATCHED when SLA does not know the postal code',
        personalData: 'none',
        isCoreField: true,
        authoritySsot: 'ura',
      },
      {
        name: 'ssic_section',
        description: 'SSIC section (A–U) of the primary activity',
        personalData: 'none',
      },
      { name: 'status_group', description: 'live, closed or other', personalData: 'none' },
      {
        name: 'as_of_month',
        description: 'Month of the newest register record',
        personalData: 'none',
      },
      {
        name: 'entity_count',
        description: 'Entities in the cell (suppressed when small)',
        personalData: 'none',
      },
      {
        name: 'new_registrations',
        description: 'Registered in the 12 months before as_of_month (suppressed when small)',
        personalData: 'none',
      },
      {
        name: 'struck_off',
        description: 'Struck off (suppressed when small)',
        personalData: 'none',
      },
      {
        name: 'suppressed',
        description: 'True when any count in the row was suppressed',
        personalData: 'none',
      },
    ],
  },
}
