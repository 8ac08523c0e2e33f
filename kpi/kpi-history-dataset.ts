import type { DatasetRegistration } from '../catalog/index.js'

/**
 * The KPI history as a catalogue dataset: each Blueprint KPI's value per year for the whole
 * government (breakdowns stay behind the access rules of the data they come from), with its
 * target, status and the dataset versions it was computed from.
 */
export const KPI_HISTORY_DATASET: DatasetRegistration = {
  slug: 'blueprint-kpi-history',
  title: 'Digital Government Blueprint KPIs: yearly values',
  description:
    'The 15 Digital Government Blueprint KPIs, one row per KPI and year (or quarter) from 2019, with the ' +
    'target, the status (met, on track, at risk, missed), the numerator and denominator, and the ' +
    'catalogue dataset versions each value was computed from. Recomputed by the platform after ' +
    'every Trusted Centre fusion run, after every decision on an access request (the KPIs the ' +
    'platform measures from its own records), and on demand.',
  agency: 'MDDI',
  trustedCentre: 'Platform',
  sourceSsots: ['mddi', 'psd', 'govtech', 'platform'],
  classification: { security: 'official-open', sensitivity: 'non-sensitive' },
  updateFrequency: 'on change',
  themes: ['Digital government'],
  tags: ['Digital Government Blueprint', 'KPI', 'dashboard', 'targets'],
  columns: [
    { name: 'number', description: 'KPI number (1–15)', personalData: 'none' },
    { name: 'wording', description: 'The KPI as the Blueprint words it', personalData: 'none' },
    { name: 'year', description: 'Calendar year of the value', personalData: 'none' },
    {
      name: 'period',
      description: 'The year, or the quarter (e.g. 2025 Q3) for quarterly KPIs',
      personalData: 'none',
    },
    { name: 'value', description: 'The value, in the unit', personalData: 'none' },
    {
      name: 'unit',
      description: 'percent, count or working-days',
      personalData: 'none',
    },
    {
      name: 'target',
      description: 'The 2023 target as the Blueprint states it',
      personalData: 'none',
    },
    {
      name: 'status',
      description: 'met, on track, at risk or missed (rule in the KPI API)',
      personalData: 'none',
    },
    { name: 'numerator', description: 'What was counted', personalData: 'none' },
    { name: 'denominator', description: 'Out of how many', personalData: 'none' },
    {
      name: 'inputs',
      description: 'Catalogue dataset versions the value was computed from (slug@vN)',
      personalData: 'none',
    },
  ],
}
