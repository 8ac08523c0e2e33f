import type { GrantStatus, RequestAction, RequestState, RequestStatus } from './request-states.js'
import type { ServiceLevel } from './service-level.js'

/** A condition rows must meet to be shared: one column compared with values. */
export type RowCondition =
  | { column: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { column: string; op: 'in'; values: (string | number)[] }

/** What a steward's approval may narrow: columns, rows, and how long. */
export interface ApprovalConditions {
  columns?: string[]
  rowFilter?: RowCondition[]
  expiresAt?: Date
  /** Direct identifiers to share in clear; every other one is masked. */
  inClear?: string[]
}

/**
 * What a request (and its grant) shares: `rows` the dataset row by row (columns, row filter and
 * masks as approved); `aggregates` only answers of aggregate queries that pass output checks
 * (minimum cell count, dominance, differencing), for data too sensitive to share row by row.
 */
export const ACCESS_SCOPES = ['rows', 'aggregates'] as const
export type AccessScope = (typeof ACCESS_SCOPES)[number]

export interface RequestInput {
  dataset: string
  /** Rows (the default) or aggregates only. */
  scope?: AccessScope
  /** Omitted: every column. */
  columns?: string[]
  purpose: string
  legalBasis: string
  durationDays: number
  project?: { name: string; partnerAgencies?: string[] }
}

export interface Grant {
  id: string
  requestId: string
  dataset: { id: string; slug: string; title: string; agency: string }
  grantee: { id: string; username: string; agency: string }
  scope: AccessScope
  /** Undefined: every column. */
  columns: string[] | undefined
  rowFilter: RowCondition[]
  /** Direct identifiers shared in clear (all others are masked). */
  inClear: string[]
  grantedAt: Date
  grantedBy: string[]
  expiresAt: Date
  status: GrantStatus
  revoked: { at: Date; by: string; reason: string } | undefined
  /** Purpose of the request behind it: why this person holds access. */
  purpose: string
  /** What the grantee did with it. */
  usage: GrantUsage
}

/** What a grant was used for by its grantee: queries run and files downloaded under it. */
export interface GrantUsage {
  queries: number
  downloads: number
  /** Undefined: never used. */
  lastUsedAt: Date | undefined
}

export interface RequestEvent {
  at: Date
  actor: string
  action: RequestAction | 'submit' | 'revoke'
  from: RequestState | undefined
  to: RequestState
  details: Record<string, unknown>
}

export interface AccessRequest {
  id: string
  dataset: {
    id: string
    slug: string
    title: string
    agency: string
    security: string
    sensitivity: string
  }
  requester: { id: string; username: string; agency: string }
  scope: AccessScope
  columns: string[] | undefined
  purpose: string
  legalBasis: string
  durationDays: number
  project: { name: string; partnerAgencies: string[] } | undefined
  crossAgency: boolean
  state: RequestState
  status: RequestStatus
  approvalsNeeded: number
  approvals: { steward: string; at: Date }[]
  question: string | undefined
  decisionReason: string | undefined
  submittedAt: Date
  decidedAt: Date | undefined
  grant: Grant | undefined
  serviceLevel: ServiceLevel
  history: RequestEvent[]
}

export function grantStatus(
  grant: { expiresAt: Date; revoked: unknown | undefined },
  now: Date,
): GrantStatus {
  if (grant.revoked) return 'revoked'
  return grant.expiresAt.getTime() > now.getTime() ? 'active' : 'expired'
}
