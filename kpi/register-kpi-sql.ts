import { MINISTRY_FAMILIES } from '../reference/index.js'

/**
 * The SQL of each KPI computed from Trusted Centre datasets. Each reads the datasets as views
 * named after their slugs (dashes as underscores) and a `years` table (one row per year of the
 * Blueprint era), and returns one row per year for the whole government (`by` = '') and one per
 * year and Ministry family or agency: `year, by, group, value, numerator, denominator`.
 */

/** Totals, per-family and per-agency rows from one GROUP BY (GROUPING tells them apart). */
const breakdowns = (year: string, family: string, agency: string) => `
GROUP BY GROUPING SETS ((${year}), (${year}, ${family}), (${year}, ${agency}))
HAVING (GROUPING(${family}) = 1 OR ${family} IS NOT NULL)
  AND (GROUPING(${agency}) = 1 OR ${agency} IS NOT NULL)`
const groupColumns = (family: string, agency: string) => `
  CASE WHEN GROUPING(${family}) = 0 THEN 'ministry-family'
    WHEN GROUPING(${agency}) = 0 THEN 'agency' ELSE '' END AS by,
  CASE WHEN GROUPING(${family}) = 0 THEN ${family}
    WHEN GROUPING(${agency}) = 0 THEN ${agency} ELSE '' END AS "group"`

const surveyShare = (respondent: 'citizen' | 'business') => `
SELECT survey_year AS year, ${groupColumns('ministry_family', 'agency')},
  100.0 * count(*) FILTER (WHERE rating >= 5) / count(*) AS value,
  count(*) FILTER (WHERE rating >= 5) AS numerator,
  count(*) AS denominator
FROM digital_services_satisfaction_survey
WHERE respondent_type = '${respondent}'
${breakdowns('survey_year', 'ministry_family', 'agency')}`

const serviceShare = (flag: string, excludeExempt: boolean) => `
SELECT year, ${groupColumns('ministry_family', 'agency')},
  100.0 * count(*) FILTER (WHERE ${flag}) / count(*) AS value,
  count(*) FILTER (WHERE ${flag}) AS numerator,
  count(*) AS denominator
FROM digital_services_register
${excludeExempt ? 'WHERE exempt_reason IS NULL' : ''}
${breakdowns('year', 'ministry_family', 'agency')}`

const volumeShare = (part: string, whole: string) => `
SELECT year, ${groupColumns('ministry_family', 'agency')},
  100.0 * sum(${part}) / sum(${whole}) AS value,
  sum(${part}) AS numerator,
  sum(${whole}) AS denominator
FROM digital_services_register
WHERE exempt_reason IS NULL AND ${whole} > 0
${breakdowns('year', 'ministry_family', 'agency')}`

/** Officers in service at the end of each year. */
const officersInService = (measure: (year: string) => string) => `
SELECT y.year, ${groupColumns('o.ministry_family', 'o.agency')}, ${measure('y.year')}
FROM years y
JOIN officer_training_records o
  ON o.joined_year <= y.year AND (o.left_year IS NULL OR o.left_year > y.year)
${breakdowns('y.year', 'o.ministry_family', 'o.agency')}`

export const REGISTER_KPI_SQL: Readonly<Record<number, string>> = {
  1: surveyShare('citizen'),
  2: surveyShare('business'),
  3: serviceShare('offers_epayment', false),
  4: serviceShare('prefilled', false),
  5: serviceShare('digital_signature', true),
  6: volumeShare('transactions_digital', 'transactions'),
  7: volumeShare('payments_electronic', 'payments'),
  8: officersInService(
    (year) => `count(*) FILTER (WHERE o.analytics_trained_year <= ${year}) AS value,
  count(*) FILTER (WHERE o.analytics_trained_year <= ${year}) AS numerator,
  count(*) AS denominator`,
  ),
  9: officersInService(
    (
      year,
    ) => `100.0 * count(*) FILTER (WHERE o.digital_literacy_year <= ${year}) / count(*) AS value,
  count(*) FILTER (WHERE o.digital_literacy_year <= ${year}) AS numerator,
  count(*) AS denominator`,
  ),
  10: `
SELECT y.year, ${groupColumns('p.ministry_family', 'p.agency')},
  count(*) AS value, count(*) AS numerator, count(*) AS denominator
FROM years y
JOIN digital_projects_register p
  ON p.transformative
  AND year(p.started_on) <= y.year
  AND (p.cancelled_on IS NULL OR year(p.cancelled_on) > y.year)
${breakdowns('y.year', 'p.ministry_family', 'p.agency')}`,
  11: `
WITH families AS (SELECT unnest([${MINISTRY_FAMILIES.map((f) => `'${f.code}'`).join(', ')}]) AS family),
running AS (
  SELECT y.year, f.family, count(a.project_id) AS projects
  FROM years y
  CROSS JOIN families f
  LEFT JOIN ai_projects_register a
    ON a.ministry_family = f.family
    AND year(a.started_on) <= y.year
    AND (a.stopped_on IS NULL OR year(a.stopped_on) > y.year)
  GROUP BY y.year, f.family
)
SELECT year, '' AS by, '' AS "group",
  100.0 * count(*) FILTER (WHERE projects > 0) / count(*) AS value,
  count(*) FILTER (WHERE projects > 0) AS numerator,
  count(*) AS denominator
FROM running GROUP BY year
UNION ALL
SELECT year, 'ministry-family', family, CASE WHEN projects > 0 THEN 100 ELSE 0 END, projects, 1
FROM running`,
  15: `
SELECT y.year, ${groupColumns('s.ministry_family', 's.agency')},
  100.0 * count(*) FILTER (WHERE s.migrated_year <= y.year) / count(*) AS value,
  count(*) FILTER (WHERE s.migrated_year <= y.year) AS numerator,
  count(*) AS denominator
FROM years y
JOIN government_systems_register s
  ON s.cloud_eligible
  AND s.commissioned_year <= y.year
  AND (s.decommissioned_year IS NULL OR s.decommissioned_year > y.year)
${breakdowns('y.year', 's.ministry_family', 's.agency')}`,
}
