import { ConflictError } from '../core/index.js'
import type { ServiceLevel } from './service-level.js'

/** The steps a request moves by, one `POST /api/requests/:id/<action>` each. */
export const REQUEST_ACTIONS = ['approve', 'reject', 'ask-info', 'resubmit', 'withdraw'] as const
export type RequestAction = (typeof REQUEST_ACTIONS)[number]

/** The states a request is stored in; an approved one has a grant that is active, expired or revoked. */
export type RequestState = 'submitted' | 'needs-info' | 'approved' | 'rejected' | 'withdrawn'

/** What a person sees: the state, with an approved request shown as its grant's state. */
export type RequestStatus = Exclude<RequestState, 'approved'> | GrantStatus

export type GrantStatus = 'active' | 'expired' | 'revoked'

/**
 * Every legal transition. A Sensitive-High request stays `submitted` after its first approval
 * and becomes `approved` at the second, by a different steward.
 */
const TRANSITIONS: Record<RequestState, Partial<Record<RequestAction, RequestState>>> = {
  submitted: {
    approve: 'approved',
    reject: 'rejected',
    'ask-info': 'needs-info',
    withdraw: 'withdrawn',
  },
  'needs-info': { resubmit: 'submitted', reject: 'rejected', withdraw: 'withdrawn' },
  approved: {},
  rejected: {},
  withdrawn: {},
}

/** Who may take each step: the stewards of the owning agency, or the requester. */
export const ACTION_BY: Record<RequestAction, 'steward' | 'requester'> = {
  approve: 'steward',
  reject: 'steward',
  'ask-info': 'steward',
  resubmit: 'requester',
  withdraw: 'requester',
}

export function allowedActions(state: RequestState): RequestAction[] {
  return REQUEST_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined)
}

/** The state `action` leads to from `state`; an illegal step is a 409 naming the legal ones. */
export function nextState(state: RequestState, action: RequestAction): RequestState {
  const next = TRANSITIONS[state][action]
  if (next) return next
  const allowed = allowedActions(state)
  throw new ConflictError(
    `Cannot ${action} a request that is ${state}: ${
      allowed.length > 0
        ? `allowed now: ${allowed.join(', ')}`
        : 'it is closed; nothing more can be done'
    }`,
  )
}

/** A condition rows must meet to be shared: one column compared with values. */
export type RowCondition =
  | { column: string; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { column: string; op: 'in'; values: (string | number)[] }

/** What a steward's approval may narrow: columns, rows, and how long. */
export interface ApprovalConditions {
  columns?: string[]
  rowFilter?: RowCondition[]
  expiresAt?: Date
}

export interface RequestInput {
  dataset: string
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
  /** Undefined: every column. */
  columns: string[] | undefined
  rowFilter: RowCondition[]
  grantedAt: Date
  grantedBy: string[]
  expiresAt: Date
  status: GrantStatus
  revoked: { at: Date; by: string; reason: string } | undefined
  /** Purpose of the request behind it: why this person holds access. */
  purpose: string
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
