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
  /** Whether a higher value is better (every KPI but the time to share data). */
  direction: 'up' | 'down'
  /** Each value covers a calendar year, or a quarter of one (Singapore time). */
  period: 'year' | 'quarter'
  /** The dimensions each value is also given by. */
  breakdowns: readonly ('ministry-family' | 'agency')[]
  /** How the value is measured, in words a leader can check. */
  measurement: string
  /** The catalogue datasets (slugs) it is computed from (none for platform-measured KPIs). */
  datasets: readonly string[]
  /**
   * The platform records a platform-measured KPI reads: the access workflow's decided requests
   * (whose breakdowns are sharing statistics), or the catalogue's core data fields (metadata any
   * officer may discover).
   */
  records?: 'sharingRecords' | 'coreFields'
  /**
   * The target each Ministry family's or agency's value is held to: the KPI's own for shares and
   * times, the Blueprint's per-family figure for KPI 12; none for counts (a share of 20,000
   * officers has no target of its own), whose breakdowns then carry no status.
   */
  groupTarget?: KpiTarget
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
    groupTarget: { kind: 'band', low: 75, high: 80 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Share of citizen survey responses rating 5 or 6 on the 6-point scale, per survey year; by the Ministry family of the agency whose service was rated.',
    datasets: ['digital-services-satisfaction-survey'],
  },
  {
    number: 2,
    category: 'Stakeholder satisfaction',
    wording: 'Business satisfaction with digital services (via survey)',
    unit: 'percent',
    targetText: '75–80% rate "very satisfied"',
    target: { kind: 'band', low: 75, high: 80 },
    source: 'trusted-centre',
    groupTarget: { kind: 'band', low: 75, high: 80 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Share of business survey responses rating 5 or 6 on the 6-point scale, per survey year; by the Ministry family of the agency whose service was rated.',
    datasets: ['digital-services-satisfaction-survey'],
  },
  {
    number: 3,
    category: 'End-to-end digital options',
    wording: 'Services that offer e-payment options (inbound and outbound)',
    unit: 'percent',
    targetText: '100%',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement: 'Share of the services running in the year that offer e-payment options.',
    datasets: ['digital-services-register'],
  },
  {
    number: 4,
    category: 'End-to-end digital options',
    wording: 'Services that are pre-filled with Government-verified data',
    unit: 'percent',
    targetText: '100%',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Share of the services running in the year that pre-fill with Government-verified data.',
    datasets: ['digital-services-register'],
  },
  {
    number: 5,
    category: 'End-to-end digital options',
    wording: 'Services that offer digital options for wet-ink signatures',
    unit: 'percent',
    targetText: '100%*',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Share of the services running in the year that offer a digital option for wet-ink signatures, excluding services exempt for valid reasons (legislation, population segments).',
    datasets: ['digital-services-register'],
  },
  {
    number: 6,
    category: 'End-to-end digital transactions',
    wording: 'Percentage of transactions completed digitally from end to end',
    unit: 'percent',
    targetText: '90–95%*',
    target: { kind: 'band', low: 90, high: 95 },
    source: 'trusted-centre',
    groupTarget: { kind: 'band', low: 90, high: 95 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Transactions completed digitally from end to end over all transactions in the year, excluding exempt services.',
    datasets: ['digital-services-register'],
  },
  {
    number: 7,
    category: 'End-to-end digital transactions',
    wording: 'Percentage of payments (inbound and outbound) completed via e-payments',
    unit: 'percent',
    targetText: '100%*',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Payments completed via e-payment over all payments in the year, excluding exempt services.',
    datasets: ['digital-services-register'],
  },
  {
    number: 8,
    category: 'Digital capabilities',
    wording: 'Number of public officers trained in data analytics and data science',
    unit: 'count',
    targetText: '20,000',
    target: { kind: 'at-least', value: 20_000 },
    source: 'trusted-centre',
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Officers in service at the end of the year who have been trained in data analytics or data science.',
    datasets: ['officer-training-records'],
  },
  {
    number: 9,
    category: 'Digital capabilities',
    // The Blueprint words it "Number of public officers with basic digital literacy"; its target,
    // all public officers, is a share, and a share is what is measured and shown.
    wording: 'Percentage of public officers with basic digital literacy',
    unit: 'percent',
    targetText: 'all public officers',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement: 'Share of officers in service at the end of the year with basic digital literacy.',
    datasets: ['officer-training-records'],
  },
  {
    number: 10,
    category: 'Transformative digital projects',
    wording: 'Number of transformative digital projects',
    unit: 'count',
    targetText: '30–50 projects',
    target: { kind: 'band', low: 30, high: 50 },
    source: 'trusted-centre',
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Transformative digital projects started by the end of the year and not cancelled by then.',
    datasets: ['digital-projects-register'],
  },
  {
    number: 11,
    category: 'AI, data and data analytics',
    wording: 'Percentage of Ministry families that use AI for service delivery or policy making',
    unit: 'percent',
    targetText: 'every Ministry family has at least one AI project',
    target: { kind: 'at-least', value: 100 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family'],
    measurement:
      "Share of the 16 Ministry families with at least one AI project running at the end of the year; a family's breakdown is 100 when it has one.",
    datasets: ['ai-projects-register'],
  },
  {
    number: 12,
    category: 'AI, data and data analytics',
    wording: 'Number of high-impact data analytics projects',
    unit: 'count',
    targetText: '10 cross-agency projects a year, and 2 projects per Ministry family a year',
    target: { kind: 'at-least', value: 10 },
    source: 'platform',
    groupTarget: { kind: 'at-least', value: 2 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family'],
    measurement:
      "Distinct projects with at least one approved cross-agency data request decided in the year (the access workflow); by the requesting agency's Ministry family. The target also asks 2 projects per Ministry family a year.",
    datasets: [],
    records: 'sharingRecords',
  },
  {
    number: 13,
    category: 'AI, data and data analytics',
    wording: 'Core data fields in machine-readable format and transmittable by APIs',
    unit: 'percent',
    targetText: '90–100%',
    target: { kind: 'band', low: 90, high: 100 },
    source: 'platform',
    groupTarget: { kind: 'band', low: 90, high: 100 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      "Share of the core data fields declared in the catalogue that are machine-readable (in the current published version's typed schema) and transmittable by API (the query service serves the dataset: Official (Open), or covered by an approved grant) at the end of the year.",
    datasets: [],
    records: 'coreFields',
  },
  {
    number: 14,
    category: 'AI, data and data analytics',
    wording: 'Time required to share data for cross-agency projects',
    unit: 'working-days',
    targetText: 'no more than 7 working days',
    target: { kind: 'at-most', value: 7 },
    source: 'platform',
    groupTarget: { kind: 'at-most', value: 7 },
    direction: 'down',
    period: 'quarter',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Median working days (Singapore calendar, submission day = day 0) from submission to grant of approved cross-agency requests decided in the quarter; the share within 7 working days is the numerator over the denominator. Quarterly, as the sharing service is run.',
    datasets: [],
    records: 'sharingRecords',
  },
  {
    number: 15,
    category: 'Commercial cloud migration',
    wording: 'Percentage of eligible Government systems on commercial cloud',
    unit: 'percent',
    targetText: '70%',
    target: { kind: 'at-least', value: 70 },
    source: 'trusted-centre',
    groupTarget: { kind: 'at-least', value: 70 },
    direction: 'up',
    period: 'year',
    breakdowns: ['ministry-family', 'agency'],
    measurement:
      'Share of cloud-eligible systems (data classification allows commercial cloud) in operation at the end of the year that run on commercial cloud.',
    datasets: ['government-systems-register'],
  },
]
