import type { DatasetRegistration } from '../../catalog/index.js'
import type { FeedContract } from '../contracts/feed-contract.js'
import { provenance } from '../contracts/feed-provenance.js'
import {
  GOVTECH_SYSTEMS_REGISTER,
  MDDI_AI_PROJECTS,
  MDDI_DIGITAL_SERVICES,
  MDDI_SATISFACTION_SURVEY,
  MDDI_TRANSFORMATIVE_PROJECTS,
  PSD_OFFICER_TRAINING,
} from '../contracts/kpi-register-feeds.js'
import type { Pipeline } from './pipeline.js'

/** Fields whose authority is a register of Ministry families and agencies (PSD). */
const CORE_FIELDS: Record<string, string> = { agency: 'psd', ministry_family: 'psd' }

/**
 * A register published as it stands: the newest delivered row per key, every contract column
 * but the fixture provenance, plus where each row came from. The KPIs are computed from these
 * datasets, so their versions are the KPIs' provenance.
 */
function registerPipeline(
  feed: FeedContract,
  dataset: Omit<DatasetRegistration, 'columns' | 'trustedCentre' | 'updateFrequency'>,
): Pipeline {
  const skip = new Set(provenance.map((c) => c.name))
  const columns = feed.columns.filter((c) => !skip.has(c.name))
  return {
    id: feed.id.replace(/^[a-z]+_/, ''),
    inputs: [feed],
    key: feed.key,
    sql: `
SELECT
  ${columns.map((c) => `r.${c.name}`).join(',\n  ')},
  r._run || '#' || r._row AS source_record
FROM ${feed.id} r
QUALIFY row_number() OVER (PARTITION BY ${feed.key.map((k) => `r.${k}`).join(', ')} ORDER BY r._row DESC) = 1`,
    assertions: [{ kind: 'unique', columns: feed.key, severity: 'blocking' }],
    dataset: {
      ...dataset,
      trustedCentre: feed.trustedCentre,
      updateFrequency: 'yearly',
      columns: [
        ...columns.map((c) => ({
          name: c.name,
          description: c.description,
          personalData: c.personalData,
          ...(CORE_FIELDS[c.name] ? { isCoreField: true, authoritySsot: CORE_FIELDS[c.name] } : {}),
        })),
        {
          name: 'source_record',
          description: 'Provenance: ingest run and row of the register entry',
          personalData: 'none' as const,
        },
      ],
    },
  }
}

const BLUEPRINT = ['Digital Government Blueprint', 'KPI']

export const DIGITAL_SERVICES_PIPELINE = registerPipeline(MDDI_DIGITAL_SERVICES, {
  slug: 'digital-services-register',
  title: 'Government digital services register',
  description:
    'Every government digital service by year: e-payment options, pre-filling with Government-' +
    'verified data, digital alternatives to wet-ink signatures, transactions and payments and how ' +
    'many were completed digitally. Source of Blueprint KPIs 3 to 7.',
  agency: 'MDDI',
  sourceSsots: ['mddi'],
  classification: { security: 'official-open', sensitivity: 'non-sensitive' },
  themes: ['Digital government'],
  tags: [...BLUEPRINT, 'e-payment', 'digital services', 'transactions'],
})

export const SATISFACTION_SURVEY_PIPELINE = registerPipeline(MDDI_SATISFACTION_SURVEY, {
  slug: 'digital-services-satisfaction-survey',
  title: 'Satisfaction with government digital services (survey responses)',
  description:
    'Responses of citizens and businesses to the yearly survey on government digital services, ' +
    'on the 6-point scale (5 and 6: very satisfied). Source of Blueprint KPIs 1 and 2.',
  agency: 'MDDI',
  sourceSsots: ['mddi'],
  classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
  themes: ['Digital government'],
  tags: [...BLUEPRINT, 'satisfaction', 'survey'],
})

export const OFFICER_TRAINING_PIPELINE = registerPipeline(PSD_OFFICER_TRAINING, {
  slug: 'officer-training-records',
  title: 'Public officer digital training records',
  description:
    'One record per public officer (pseudonymous): when they joined and left the Public Service ' +
    'and when they were trained in data analytics or data science and attained basic digital ' +
    'literacy. Source of Blueprint KPIs 8 and 9.',
  agency: 'PSD',
  sourceSsots: ['psd'],
  classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
  themes: ['Digital government', 'Public service'],
  tags: [...BLUEPRINT, 'training', 'data analytics', 'digital literacy'],
})

export const TRANSFORMATIVE_PROJECTS_PIPELINE = registerPipeline(MDDI_TRANSFORMATIVE_PROJECTS, {
  slug: 'digital-projects-register',
  title: 'Digital government projects register',
  description:
    'Digital government projects with whether each is transformative and when it started, went ' +
    'live or was cancelled. Source of Blueprint KPI 10.',
  agency: 'MDDI',
  sourceSsots: ['mddi'],
  classification: { security: 'official-open', sensitivity: 'non-sensitive' },
  themes: ['Digital government'],
  tags: [...BLUEPRINT, 'projects', 'transformation'],
})

export const AI_PROJECTS_PIPELINE = registerPipeline(MDDI_AI_PROJECTS, {
  slug: 'ai-projects-register',
  title: 'AI projects register',
  description:
    'AI projects for service delivery or policy making, by agency and Ministry family, with ' +
    'start and stop dates. Source of Blueprint KPI 11.',
  agency: 'MDDI',
  sourceSsots: ['mddi'],
  classification: { security: 'official-open', sensitivity: 'non-sensitive' },
  themes: ['Digital government', 'Artificial intelligence'],
  tags: [...BLUEPRINT, 'AI', 'artificial intelligence'],
})

export const SYSTEMS_REGISTER_PIPELINE = registerPipeline(GOVTECH_SYSTEMS_REGISTER, {
  slug: 'government-systems-register',
  title: 'Government ICT systems register',
  description:
    'Government ICT systems with the security classification of their data (which decides ' +
    'whether they may move to commercial cloud), where they run, and when they were ' +
    'commissioned, switched off and migrated. Source of Blueprint KPI 15.',
  agency: 'GOVTECH',
  sourceSsots: ['govtech'],
  classification: { security: 'restricted', sensitivity: 'non-sensitive' },
  themes: ['Digital government', 'Cloud'],
  tags: [...BLUEPRINT, 'cloud', 'systems', 'hosting'],
})

/** The registers behind the Blueprint KPIs, as published datasets. */
export const KPI_REGISTER_PIPELINES: readonly Pipeline[] = [
  DIGITAL_SERVICES_PIPELINE,
  SATISFACTION_SURVEY_PIPELINE,
  OFFICER_TRAINING_PIPELINE,
  TRANSFORMATIVE_PROJECTS_PIPELINE,
  AI_PROJECTS_PIPELINE,
  SYSTEMS_REGISTER_PIPELINE,
]
