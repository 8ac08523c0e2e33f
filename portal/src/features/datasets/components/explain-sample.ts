import { formatCount } from '../../../lib/format.js'
import type { SampleColumnReport, SampleReport } from '../api/sample-report.js'

/**
 * The geography ladder, finest first (as disclosure/hierarchy.ts's GEOGRAPHY_LEVELS names it): at
 * a level, the columns of that level and coarser ones are shown, finer ones hidden.
 */
const GEOGRAPHY = ['postal code', 'postal sector', 'postal district', 'planning area', 'region']

/** The ladder step a geography column belongs to: 'planning_area_name' → 3 (planning area). */
const geographyStepOf = (column: string) =>
  GEOGRAPHY.findIndex((level) => column.replaceAll('_', ' ').startsWith(level))

/** How a column reads in the sample, in words: 'planning area', 'hidden (*)', 'masked: …'. */
export function shownAs(report: SampleReport, column: SampleColumnReport): string {
  if (column.treatment === 'masked') return 'masked: a pseudonym that holds within this sample only'
  if (column.treatment === 'measure') return 'as published: a quantity, outside the k-check'
  if (column.treatment === 'kept') return 'as published: a steward kept it out of the k-check'
  const hierarchy = report.hierarchies.find((h) => h.columns.includes(column.name))
  const level = column.shownAs ?? hierarchy?.level ?? 'as published'
  if (level === 'hidden') return 'hidden (*)'
  const own = geographyStepOf(column.name)
  const at = GEOGRAPHY.indexOf(level)
  if (hierarchy?.name === 'geography' && own >= 0 && at >= 0) {
    if (own > at) return 'as published'
    if (own === at) return level
    // A postal code at sector level keeps its sector's two digits.
    if (column.name === 'postal_code' && level === 'postal sector')
      return 'its first two digits (postal sector)'
    return `hidden (*): places are shown at ${level}`
  }
  return level
}

/** The sample's outcome, as label and value pairs. */
export function sampleFacts(report: SampleReport): [string, string][] {
  return [
    ['k reached', `${report.kReached} (at least ${report.k} asked)`],
    [
      'l reached',
      report.lReached === null
        ? 'No sensitive column is shown'
        : `${report.lReached} (at least ${report.l} asked)`,
    ],
    [
      'Rows suppressed',
      `${formatCount(report.suppressedRows)} of ${formatCount(report.drawnRows)} drawn (at most ${formatCount(report.maxSuppressedRows)} allowed)`,
    ],
    ['Information loss', `${(report.informationLoss * 100).toFixed(1)}%`],
  ]
}

/** What became of the levels a steward asked to keep; undefined when none was asked. */
export function keepNote(report: SampleReport): string | undefined {
  const asked = Object.entries(report.keep)
  if (asked.length === 0) return undefined
  const wanted = asked.map(([name, level]) => `${name} at ${level}`).join(' and ')
  if (report.keptAsAsked) return `Kept as the steward asked: ${wanted}.`
  const shown = asked
    .map(([name]) => {
      const level = report.hierarchies.find((h) => h.name === name)?.level ?? 'an unknown level'
      return `${name} is shown at ${level}`
    })
    .join(' and ')
  return `Not kept as the steward asked (${wanted}): k = ${report.k} could not be reached there, so ${shown}.`
}
