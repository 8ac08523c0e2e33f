import { type Day, singaporeDay, type WorkingDayCalendar } from '../reference/index.js'
import type { RequestState } from './request-states.js'

/** The Blueprint target: data shared for cross-agency projects within 7 working days. */
export const SHARING_LIMIT_WORKING_DAYS = 7
/** A running request with this many working days or fewer left is flagged as due soon. */
const DUE_SOON_DAYS = 2

/**
 * A request's working-day clock. It runs while the request waits for a steward, pauses while it
 * waits for the requester's information, and stops at the decision.
 */
export interface ServiceLevel {
  limit: number
  /** Working days on the clock so far (or at the decision), pauses excluded. */
  workingDays: number
  /** The day the limit is reached if the clock keeps running; undefined when paused or stopped. */
  due: Day | undefined
  status: 'on-track' | 'due-soon' | 'overdue' | 'paused' | 'met' | 'missed' | 'closed'
  /** Working days from submission to approval or rejection, once decided. */
  decisionWorkingDays: number | undefined
  /** False when a counted day falls in a year whose holidays are not yet confirmed. */
  confirmed: boolean
}

/**
 * The clock from a request's history: each entry is a change of state at an instant (the first
 * being the submission). Counting is in Singapore working days, the day the clock starts being
 * day 0, so a request asked for information and answered on the same day loses nothing.
 */
export function serviceLevel(
  history: readonly { at: Date; to: RequestState }[],
  calendar: WorkingDayCalendar,
  now: Date,
): ServiceLevel {
  let counted = 0
  let runningSince: Day | undefined
  let final: RequestState | undefined
  const first = history[0]?.at ?? now
  let last = now
  for (const { at, to } of history) {
    const day = singaporeDay(at)
    if (runningSince !== undefined) counted += calendar.workingDaysBetween(runningSince, day)
    runningSince = to === 'submitted' ? day : undefined
    if (to === 'approved' || to === 'rejected' || to === 'withdrawn') {
      final = to
      last = at
      break
    }
  }
  const confirmed = spanConfirmed(calendar, singaporeDay(first), singaporeDay(last))
  const limit = SHARING_LIMIT_WORKING_DAYS
  if (final) {
    const decided = final !== 'withdrawn'
    return {
      limit,
      workingDays: counted,
      due: undefined,
      status: decided ? (counted <= limit ? 'met' : 'missed') : 'closed',
      decisionWorkingDays: decided ? counted : undefined,
      confirmed,
    }
  }
  if (runningSince === undefined)
    return {
      limit,
      workingDays: counted,
      due: undefined,
      status: 'paused',
      decisionWorkingDays: undefined,
      confirmed,
    }
  const workingDays = counted + calendar.workingDaysBetween(runningSince, singaporeDay(now))
  const left = limit - workingDays
  return {
    limit,
    workingDays,
    due: calendar.addWorkingDays(runningSince, Math.max(0, limit - counted)),
    status: left < 0 ? 'overdue' : left <= DUE_SOON_DAYS ? 'due-soon' : 'on-track',
    decisionWorkingDays: undefined,
    confirmed,
  }
}

function spanConfirmed(calendar: WorkingDayCalendar, from: Day, to: Day): boolean {
  for (let t = Date.parse(`${from}T00:00:00Z`); ; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10)
    if (day > to) return true
    if (!calendar.isConfirmed(day)) return false
  }
}

/**
 * The changes of state the clock counts: a step that leaves the state as it was (a first of two
 * approvals, a revocation) moves no clock.
 */
export const stateChanges = <T extends { from: RequestState | undefined; to: RequestState }>(
  history: readonly T[],
): T[] => history.filter((h) => h.from !== h.to)

/** Working days to a decision taken at `now`, from the request's history so far. */
export function workingDaysToDecision(
  history: readonly { at: Date; from: RequestState | undefined; to: RequestState }[],
  to: RequestState,
  calendar: WorkingDayCalendar,
  now: Date,
): number {
  const changes = stateChanges(history).map((h) => ({ at: h.at, to: h.to }))
  return serviceLevel([...changes, { at: now, to }], calendar, now).decisionWorkingDays ?? 0
}
