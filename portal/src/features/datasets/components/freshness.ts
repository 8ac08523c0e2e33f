import { formatDay, formatQuantity } from '../../../lib/format.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** How long each update frequency leaves between versions, in days. */
const INTERVAL_DAYS: Readonly<Record<string, number>> = {
  hourly: 1 / 24,
  daily: 1,
  weekly: 7,
  fortnightly: 14,
  monthly: 31,
  quarterly: 92,
  'half-yearly': 183,
  annual: 366,
  annually: 366,
  yearly: 366,
}

/** Whether the current version is as recent as the dataset's update frequency promises. */
export interface Freshness {
  /** `unscheduled`: the frequency sets no date (irregular, or not one we know). */
  status: 'up to date' | 'overdue' | 'unscheduled' | 'unpublished'
  /** The same, in a sentence. */
  text: string
}

/**
 * The current version's age against the update frequency, in words: "Up to date: version 3 was
 * published 12 days ago; the dataset is updated monthly."
 */
export function describeFreshness(
  current: { version: number; createdAt: string } | null,
  updateFrequency: string,
  now: Date,
): Freshness {
  if (!current) return { status: 'unpublished', text: 'No version is published yet.' }
  const published = new Date(current.createdAt)
  const ageMs = Math.max(0, now.getTime() - published.getTime())
  const said = `version ${current.version} was published ${ageInWords(ageMs)}`
  const frequency = updateFrequency.trim().toLowerCase()
  const interval = INTERVAL_DAYS[frequency]
  if (interval === undefined) {
    const how =
      frequency === ''
        ? 'states no update frequency'
        : frequency.startsWith('irregular')
          ? 'is updated irregularly'
          : `is updated “${updateFrequency.trim()}”`
    return {
      status: 'unscheduled',
      text: `Version ${current.version} was published ${ageInWords(ageMs)}; the dataset ${how}, so no new version is due by a set date.`,
    }
  }
  const due = new Date(published.getTime() + interval * DAY_MS)
  if (now.getTime() <= due.getTime()) {
    return {
      status: 'up to date',
      text: `Up to date: ${said}; the dataset is updated ${frequency}.`,
    }
  }
  return {
    status: 'overdue',
    text: `Overdue: ${said}, but the dataset is updated ${frequency}; a new version was due by ${formatDay(due.toISOString())}.`,
  }
}

/** "less than an hour ago", "5 hours ago", "12 days ago", "3 months ago", "2 years ago". */
function ageInWords(ms: number): string {
  if (ms < HOUR_MS) return 'less than an hour ago'
  if (ms < DAY_MS) return `${formatQuantity(Math.floor(ms / HOUR_MS), 'hour')} ago`
  const days = Math.floor(ms / DAY_MS)
  if (days < 60) return `${formatQuantity(days, 'day')} ago`
  if (days < 730) return `${formatQuantity(Math.floor(days / 30.4), 'month')} ago`
  return `${formatQuantity(Math.floor(days / 365.25), 'year')} ago`
}
