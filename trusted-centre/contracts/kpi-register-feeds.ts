import { SECURITY_CLASSIFICATIONS } from '../../catalog/index.js'
import { MINISTRY_FAMILIES } from '../../reference/index.js'
import type { FeedColumn, FeedContract } from './feed-contract.js'
import { provenance } from './feed-provenance.js'

/** The registers behind the Blueprint KPIs (DOMAIN.md §7.4), delivered to TC-GovTech. */

const text = (name: string, description: string, extra: Partial<FeedColumn> = {}): FeedColumn => ({
  name,
  type: 'VARCHAR',
  required: true,
  normalize: 'trim',
  description,
  personalData: 'none',
  ...extra,
})
const count = (name: string, description: string, required = true): FeedColumn => ({
  name,
  type: 'INTEGER',
  required,
  rule: { kind: 'range', min: 0, max: 1_000_000_000 },
  description,
  personalData: 'none',
})
const year = (name: string, description: string, required = true): FeedColumn => ({
  name,
  type: 'INTEGER',
  required,
  rule: { kind: 'range', min: 1960, max: 2100 },
  description,
  personalData: 'none',
})
const flag = (name: string, description: string): FeedColumn => ({
  name,
  type: 'BOOLEAN',
  required: true,
  description,
  personalData: 'none',
})
const day = (name: string, description: string, required = false): FeedColumn => ({
  name,
  type: 'DATE',
  required,
  description,
  personalData: 'none',
})
const agency = text('agency', 'Agency code', { normalize: 'trim-upper' })
const ministryFamily = text('ministry_family', 'Ministry family of the agency', {
  normalize: 'trim-upper',
  rule: { kind: 'one-of', values: MINISTRY_FAMILIES.map((f) => f.code) },
})

export const MDDI_DIGITAL_SERVICES: FeedContract = {
  id: 'mddi_digital_services',
  version: 1,
  ssot: 'mddi',
  trustedCentre: 'TC-GovTech',
  title: 'Register of government digital services, yearly',
  delivery: 'snapshot',
  key: ['service_id', 'year'],
  columns: [
    text('service_id', 'Service identifier'),
    text('service_name', 'Name of the service'),
    agency,
    ministryFamily,
    year('year', 'Calendar year the row describes'),
    flag('offers_epayment', 'The service offers e-payment options (inbound and outbound)'),
    flag('prefilled', 'The service pre-fills forms with Government-verified data'),
    flag('digital_signature', 'The service offers a digital option for wet-ink signatures'),
    text(
      'exempt_reason',
      'Why the starred KPIs exclude the service (legislation, population segment)',
      {
        required: false,
        rule: { kind: 'one-of', values: ['legislation', 'population segment'] },
      },
    ),
    count('transactions', 'Transactions in the year'),
    count('transactions_digital', 'Transactions completed digitally from end to end'),
    count('payments', 'Payments (inbound and outbound) in the year'),
    count('payments_electronic', 'Payments completed via e-payment'),
    ...provenance,
  ],
  rowRules: [
    {
      name: 'digital-within-total',
      condition: 'transactions_digital <= transactions',
      reason: 'transactions_digital: more digital transactions than transactions',
    },
    {
      name: 'electronic-within-payments',
      condition: 'payments_electronic <= payments',
      reason: 'payments_electronic: more e-payments than payments',
    },
  ],
}

export const MDDI_SATISFACTION_SURVEY: FeedContract = {
  id: 'mddi_satisfaction_survey',
  version: 1,
  ssot: 'mddi',
  trustedCentre: 'TC-GovTech',
  title: 'Survey of satisfaction with government digital services',
  delivery: 'snapshot',
  key: ['response_id'],
  columns: [
    text('response_id', 'Response identifier'),
    year('survey_year', 'Year of the survey'),
    text('respondent_type', 'citizen or business', {
      normalize: 'trim',
      rule: { kind: 'one-of', values: ['citizen', 'business'] },
    }),
    agency,
    ministryFamily,
    {
      name: 'rating',
      type: 'INTEGER',
      required: true,
      rule: { kind: 'range', min: 1, max: 6 },
      description: 'Satisfaction on the 6-point scale (5 and 6: very satisfied)',
      personalData: 'none',
    },
    ...provenance,
  ],
}

export const PSD_OFFICER_TRAINING: FeedContract = {
  id: 'psd_officer_training',
  version: 1,
  ssot: 'psd',
  trustedCentre: 'TC-GovTech',
  title: 'Public officer training records',
  delivery: 'snapshot',
  key: ['officer_key'],
  columns: [
    text('officer_key', 'Pseudonymous officer key (PSD)', { personalData: 'direct-identifier' }),
    agency,
    ministryFamily,
    year('joined_year', 'Year the officer joined the Public Service'),
    year('left_year', 'Year the officer left, if they have', false),
    year('analytics_trained_year', 'Year of data analytics or data science training', false),
    year('digital_literacy_year', 'Year basic digital literacy was attained', false),
    ...provenance,
  ],
}

export const MDDI_TRANSFORMATIVE_PROJECTS: FeedContract = {
  id: 'mddi_transformative_projects',
  version: 1,
  ssot: 'mddi',
  trustedCentre: 'TC-GovTech',
  title: 'Register of digital government projects',
  delivery: 'snapshot',
  key: ['project_id'],
  columns: [
    text('project_id', 'Project identifier'),
    text('title', 'Project title'),
    agency,
    ministryFamily,
    flag('transformative', 'Assessed as a transformative digital project'),
    day('started_on', 'Start date', true),
    day('live_on', 'Date it went live'),
    day('cancelled_on', 'Date it was cancelled'),
    ...provenance,
  ],
}

export const MDDI_AI_PROJECTS: FeedContract = {
  id: 'mddi_ai_projects',
  version: 1,
  ssot: 'mddi',
  trustedCentre: 'TC-GovTech',
  title: 'Register of AI projects',
  delivery: 'snapshot',
  key: ['project_id'],
  columns: [
    text('project_id', 'Project identifier'),
    text('title', 'Project title'),
    agency,
    ministryFamily,
    text('purpose', 'service delivery or policy making', {
      rule: { kind: 'one-of', values: ['service delivery', 'policy making'] },
    }),
    day('started_on', 'Start date', true),
    day('stopped_on', 'Date it stopped'),
    ...provenance,
  ],
}

export const GOVTECH_SYSTEMS_REGISTER: FeedContract = {
  id: 'govtech_systems_register',
  version: 1,
  ssot: 'govtech',
  trustedCentre: 'TC-GovTech',
  title: 'Register of government ICT systems',
  delivery: 'snapshot',
  key: ['system_id'],
  columns: [
    text('system_id', 'System identifier'),
    agency,
    ministryFamily,
    text('security_classification', 'Security classification of its data', {
      rule: { kind: 'one-of', values: SECURITY_CLASSIFICATIONS },
    }),
    flag('cloud_eligible', 'Its classification allows commercial cloud'),
    text('hosting', 'Where it runs now', {
      rule: { kind: 'one-of', values: ['commercial-cloud', 'government-data-centre'] },
    }),
    year('commissioned_year', 'Year it went into operation'),
    year('decommissioned_year', 'Year it was switched off', false),
    year('migrated_year', 'Year it moved to commercial cloud', false),
    ...provenance,
  ],
}

export const KPI_REGISTER_FEEDS: readonly FeedContract[] = [
  MDDI_DIGITAL_SERVICES,
  MDDI_SATISFACTION_SURVEY,
  PSD_OFFICER_TRAINING,
  MDDI_TRANSFORMATIVE_PROJECTS,
  MDDI_AI_PROJECTS,
  GOVTECH_SYSTEMS_REGISTER,
]
