/** How a KPI's target reads: a band, a floor or a ceiling, in the KPI's unit. */
export type KpiTarget =
  | { kind: 'band'; low: number; high: number }
  | { kind: 'at-least'; value: number }
  | { kind: 'at-most'; value: number }

export type KpiCategory =
  | 'Stakeholder satisfaction'
  | 'End-to-end digital options'
  | 'End-to-end digital transactions'
  | 'Digital capabilities'
  | 'Transformative digital projects'
  | 'AI, data and data analytics'
  | 'Commercial cloud migration'

/** One Digital Government Blueprint KPI, as data (DOMAIN.md §7.4). */
export interface KpiDefinition {
  number: number
  category: KpiCategory
  wording: string
  unit: 'percent' | 'count' | 'working-days'
  /** The 2023 target as the Blueprint states it, and in machine-readable form. */
  targetText: string
  target: KpiTarget
  /** Measured from the platform's own records, or computed from a Trusted Centre dataset. */
  source: 'platform' | 'trusted-centre'
}

/** The 15 KPIs of the Digital Government Blueprint (Dec 2020 edition) with their 2023 targets. */
export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  {
    number: 1,
    category: 'Stakeholder satisfaction',
    wording: 'Citizen satisfaction with digital services (via survey)',
    unit: 'percent',
    targetText: '75–80% rate "very satisfied"',
    target: { kind: 'band', low: 75, high: 80 },
    source: 'trusted-centre',
  },
  {
    number: 2,
    category: 'Stakeholder satisfaction',
    wording: 'Business satisfaction with digital services (via survey)',
    unit: 'percent',
    targetText: '75–80% rate "very satisfied"',
    target: { kind: 'band', low: 75, high: 80 },
    source: 'trusted-centre',
  },
  {
    number: 3,
    category: 'End-to-end digital options',
    wording: 'Services that offer e-payment options (inbound and outbound)',
    unit: 'percent',
    targetText: '100%',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 4,
    category: 'End-to-end digital options',
    wording: 'Services that are pre-filled with Government-verified data',
    unit: 'percent',
    targetText: '100%',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 5,
    category: 'End-to-end digital options',
    wording: 'Services that offer digital options for wet-ink signatures',
    unit: 'percent',
    targetText: '100%*',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 6,
    category: 'End-to-end digital transactions',
    wording: 'Percentage of transactions completed digitally from end to end',
    unit: 'percent',
    targetText: '90–95%*',
    target: { kind: 'band', low: 90, high: 95 },
    source: 'trusted-centre',
  },
  {
    number: 7,
    category: 'End-to-end digital transactions',
    wording: 'Percentage of payments (inbound and outbound) completed via e-payments',
    unit: 'percent',
    targetText: '100%*',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 8,
    category: 'Digital capabilities',
    wording: 'Number of public officers trained in data analytics and data science',
    unit: 'count',
    targetText: '20,000',
    target: { kind: 'at-least', value: 20_000 },
    source: 'trusted-centre',
  },
  {
    number: 9,
    category: 'Digital capabilities',
    wording: 'Number of public officers with basic digital literacy',
    unit: 'percent',
    targetText: 'all public officers',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 10,
    category: 'Transformative digital projects',
    wording: 'Number of transformative digital projects',
    unit: 'count',
    targetText: '30–50 projects',
    target: { kind: 'band', low: 30, high: 50 },
    source: 'trusted-centre',
  },
  {
    number: 11,
    category: 'AI, data and data analytics',
    wording: 'Percentage of Ministry families that use AI for service delivery or policy making',
    unit: 'percent',
    targetText: 'every Ministry family has at least one AI project',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
  },
  {
    number: 12,
    category: 'AI, data and data analytics',
    wording: 'Number of high-impact data analytics projects',
    unit: 'count',
    targetText: '10 cross-agency projects a year, and 2 projects per Ministry family a year',
    target: { kind: 'at-least', value: 10 },
    source: 'platform',
  },
  {
    number: 13,
    category: 'AI, data and data analytics',
    wording: 'Core data fields in machine-readable format and transmittable by APIs',
    unit: 'percent',
    targetText: '90–100%',
    target: { kind: 'band', low: 90, high: 100 },
    source: 'platform',
  },
  {
    number: 14,
    category: 'AI, data and data analytics',
    wording: 'Time required to share data for cross-agency projects',
    unit: 'working-days',
    targetText: 'no more than 7 working days',
    target: { kind: 'at-most', value: 7 },
    source: 'platform',
  },
  {
    number: 15,
    category: 'Commercial cloud migration',
    wording: 'Percentage of eligible Government systems on commercial cloud',
    unit: 'percent',
    targetText: '70%',
    target: { kind: 'at-least', value: 70 },
    source: 'trusted-centre',
  },
]
