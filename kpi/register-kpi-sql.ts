import { MINISTRY_FAMILIES } from '../core/index.js'

/**
 * The SQL of each KPI computed from Trusted Centre datasets. Each reads the datasets as views
 * named after their slugs (dashes as underscores) and a `years` table (one row per year of the
 * Blueprint era), and returns one row per year and Ministry family plus one per year for all
 * (`family` = ''): `year, family, value, numerator, denominator`.
 */

/** Totals and per-family rows from one GROUP BY (GROUPING tells the total apart). */
const byYearAndFamily = (year: string, family: string) => `
GROUP BY GROUPING SETS ((${year}), (${year}, ${family}))
HAVING GROUPING(${family}) = 1 OR ${family} IS NOT NULL`
const familyColumn = (family: string) =>
  `CASE WHEN GROUPING(${family}) = 1 THEN '' ELSE ${family} END AS family`

const surveyShare = (respondent: 'citizen' | 'business') => `
SELECT survey_year AS year, ${familyColumn('ministry_family')},
  100.0 * count(*) FILTER (WHERE rating >= 5) / count(*) AS value,
  count(*) FILTER (WHERE rating >= 5) AS numerator,
  count(*) AS denominator
FROM digital_services_satisfaction_survey
WHERE respondent_type = '${respondent}'
${byYearAndFamily('survey_year', 'ministry_family')}`

const serviceShare = (flag: string, excludeExempt: boolean) => `
SELECT year, ${familyColumn('ministry_family')},
  100.0 * count(*) FILTER (WHERE ${flag}) / count(*) AS value,
  count(*) FILTER (WHERE ${flag}) AS numerator,
  count(*) AS denominator
FROM digital_services_register
${excludeExempt ? 'WHERE exempt_reason IS NULL' : ''}
${byYearAndFamily('year', 'ministry_family')}`

const volumeShare = (part: string, whole: string) => `
SELECT year, ${familyColumn('ministry_family')},
  100.0 * sum(${part}) / sum(${whole}) AS value,
  sum(${part}) AS numerator,
  sum(${whole}) AS denominator
FROM digital_services_register
WHERE exempt_reason IS NULL AND ${whole} > 0
${byYearAndFamily('year', 'ministry_family')}`

/** Officers in service at the end of each year. */
const officersInService = (measure: (year: string) => string) => `
SELECT y.year, ${familyColumn('o.ministry_family')}, ${measure('y.year')}
FROM years y
JOIN officer_training_records o
  ON o.joined_year <= y.year AND (o.left_year IS NULL OR o.left_year > y.year)
${byYearAndFamily('y.year', 'o.ministry_family')}`

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
SELECT y.year, ${familyColumn('p.ministry_family')},
  count(*) AS value, count(*) AS numerator, count(*) AS denominator
FROM years y
JOIN digital_projects_register p
  ON p.transformative
  AND year(p.started_on) <= y.year
  AND (p.cancelled_on IS NULL OR year(p.cancelled_on) > y.year)
${byYearAndFamily('y.year', 'p.ministry_family')}`,
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
SELECT year, '' AS family,
  100.0 * count(*) FILTER (WHERE projects > 0) / count(*) AS value,
  count(*) FILTER (WHERE projects > 0) AS numerator,
  count(*) AS denominator
FROM running GROUP BY year
UNION ALL
SELECT year, family, CASE WHEN projects > 0 THEN 100 ELSE 0 END, projects, 1 FROM running`,
  15: `
SELECT y.year, ${familyColumn('s.ministry_family')},
  100.0 * count(*) FILTER (WHERE s.migrated_year <= y.year) / count(*) AS value,
  count(*) FILTER (WHERE s.migrated_year <= y.year) AS numerator,
  count(*) AS denominator
FROM years y
JOIN government_systems_register s
  ON s.cloud_eligible
  AND s.commissioned_year <= y.year
  AND (s.decommissioned_year IS NULL OR s.decommissioned_year > y.year)
${byYearAndFamily('y.year', 's.ministry_family')}`,
}
