import { ConflictError, InvalidInputError } from '../core/index.js'
import type { AccessScope, ApprovalConditions, RowCondition } from './access-request.js'
import {
  assertDirectIdentifiers,
  assertKnownColumns,
  type DatasetColumns,
} from './dataset-columns.js'

const DAY_MS = 86_400_000

/**
 * Approvals a request needs: Sensitive High data row by row takes two stewards; its aggregates
 * (every answer output-checked) and everything else, one.
 */
export const approvalsNeeded = (sensitivity: string, scope: AccessScope): number =>
  sensitivity === 'sensitive-high' && scope === 'rows' ? 2 : 1

/** One steward's conditions as recorded with the approval, its end fixed (ISO 8601). */
export interface RecordedConditions {
  columns?: string[]
  rowFilter?: RowCondition[]
  inClear?: string[]
  expiresAt: string
}

/** A steward's approval of a request, as recorded. */
export interface Approval {
  stewardId: string
  steward: string
  at: Date
  conditions: RecordedConditions
}

/** What a grant shares: the narrowest of its approvals' conditions. */
export interface GrantTerms {
  /** Undefined: every column. */
  columns: string[] | undefined
  /** Every condition must hold. */
  rowFilter: RowCondition[]
  /** Direct identifiers shown in clear; every other one is masked. */
  inClear: string[]
  expiresAt: Date
}

/** What an approval is checked against: the request as asked, and its dataset's columns. */
export interface ApprovedRequest {
  /** Undefined: every column was requested. */
  columns: string[] | undefined
  durationDays: number
  dataset: { columns: DatasetColumns }
}

/**
 * The end of an approval: the one the steward set, strictly after `now` and no later than the
 * duration requested; by default the whole duration.
 */
export function approvedExpiry(expiresAt: Date | undefined, durationDays: number, now: Date): Date {
  const latest = new Date(now.getTime() + durationDays * DAY_MS)
  if (!expiresAt) return latest
  if (expiresAt.getTime() <= now.getTime())
    throw new InvalidInputError('expiresAt: must be in the future')
  if (expiresAt.getTime() > latest.getTime())
    throw new InvalidInputError(
      `expiresAt: at most the ${durationDays} days requested, i.e. no later than ${latest.toISOString()}`,
    )
  return expiresAt
}

/**
 * One steward's conditions, checked against the request and its dataset: a subset of the
 * columns requested, direct identifiers in clear, filters on known columns, an end in bounds.
 */
export function approvalConditions(
  input: ApprovalConditions,
  request: ApprovedRequest,
  now: Date,
): RecordedConditions {
  const { columns: dataset } = request.dataset
  const requested = request.columns
  if (input.columns) {
    assertKnownColumns(dataset, input.columns)
    const outside = requested ? input.columns.filter((c) => !requested.includes(c)) : []
    if (outside.length > 0)
      throw new InvalidInputError(
        `columns: ${outside.map((c) => `'${c}'`).join(', ')} were not requested; approve a subset of ${requested?.join(', ')}`,
      )
  }
  if (input.inClear?.length) assertDirectIdentifiers(dataset, input.inClear)
  if (input.rowFilter?.length)
    assertKnownColumns(
      dataset,
      input.rowFilter.map((r) => r.column),
    )
  const expiresAt = approvedExpiry(input.expiresAt, request.durationDays, now)
  return {
    ...(input.columns && { columns: input.columns }),
    ...(input.rowFilter?.length && { rowFilter: input.rowFilter }),
    ...(input.inClear?.length && { inClear: input.inClear }),
    expiresAt: expiresAt.toISOString(),
  }
}

/** Approvals whose end has passed: they no longer count towards the approvals needed. */
export function lapsedApprovals(approvals: readonly Approval[], now: Date): Approval[] {
  return approvals.filter((a) => Date.parse(a.conditions.expiresAt) <= now.getTime())
}

/**
 * The narrowest of several approvals' conditions, for the grant: the columns every approver
 * left in (within those requested), every row filter at once, in clear only what every
 * approver showed in clear, and the earliest end. Approvals that share no column are a
 * conflict: no grant can satisfy them all.
 */
export function narrowestTerms(
  approvals: readonly Approval[],
  requested: string[] | undefined,
): GrantTerms {
  const all = approvals.map((a) => a.conditions)
  const inClear = all.reduce<string[]>(
    (shared, c, i) => (i === 0 ? (c.inClear ?? []) : shared.filter((x) => c.inClear?.includes(x))),
    [],
  )
  let columns = requested
  for (const c of all)
    if (c.columns) columns = columns ? columns.filter((x) => c.columns?.includes(x)) : c.columns
  if (columns?.length === 0)
    throw new ConflictError(
      'The approvals share no column: approve with columns that overlap the first approval, or reject',
    )
  return {
    columns,
    rowFilter: all.flatMap((c) => c.rowFilter ?? []),
    inClear,
    expiresAt: new Date(Math.min(...all.map((c) => Date.parse(c.expiresAt)))),
  }
}
