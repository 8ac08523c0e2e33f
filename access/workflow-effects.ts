import type { AccessScope, RequestEvent } from './access-request.js'
import type { GrantTerms, RecordedConditions } from './approval.js'
import type { Announcement } from './notices.js'
import type { RequestState } from './request-states.js'

/** A request as submitted, before it is written. */
export interface NewRequest {
  id: string
  dataset: { id: string; slug: string; title: string; agency: string }
  requester: { id: string; username: string; agency: string }
  scope: AccessScope
  /** Undefined: every column. */
  columns: string[] | undefined
  purpose: string
  legalBasis: string
  durationDays: number
  project: { name: string; partnerAgencies: string[] } | undefined
  crossAgency: boolean
  state: RequestState
  approvalsNeeded: number
  submittedAt: Date
}

/** What a step changes on its request; absent fields stay as they are. */
export interface RequestChanges {
  state?: RequestState
  question?: string | null
  decisionReason?: string
  decidedAt?: Date
  decisionWorkingDays?: number
  approvalsNeeded?: number
  /** null: every column. */
  columns?: string[] | null
  purpose?: string
  legalBasis?: string
  durationDays?: number
}

/** The grant made by the approval that completes a request. */
export interface NewGrant {
  id: string
  requestId: string
  dataset: { id: string; agency: string }
  grantee: { id: string; username: string; agency: string }
  scope: AccessScope
  terms: GrantTerms
  grantedAt: Date
  /** The approving stewards, in the order they approved. */
  grantedBy: string[]
  grantWorkingDays: number
}

/**
 * What a decision asks the store to write, in order and in the step's one transaction. Each
 * applies to the request the step is about, by the step's actor, at the step's instant.
 */
export type Effect =
  | { kind: 'create'; request: NewRequest }
  | { kind: 'update'; changes: RequestChanges }
  | { kind: 'approval'; conditions: RecordedConditions }
  | { kind: 'drop-approvals'; stewardIds: readonly string[] | 'all' }
  | { kind: 'grant'; grant: NewGrant }
  | { kind: 'revoke'; grantId: string; reason: string }
  | {
      kind: 'event'
      action: RequestEvent['action']
      from: RequestState | undefined
      to: RequestState
      details: Record<string, unknown>
    }
  | { kind: 'notify'; announcement: Announcement }
  | {
      kind: 'audit'
      action: string
      subject: { type: 'AccessRequest' | 'Grant'; id: string }
      details: Record<string, unknown>
    }

/** What a decision says: the state the request is in afterwards, and what to write. */
export interface Decision {
  next: RequestState
  effects: Effect[]
}

/** A step recorded in the request's history. */
export const historyEvent = (
  action: RequestEvent['action'],
  from: RequestState | undefined,
  to: RequestState,
  details: Record<string, unknown>,
): Effect => ({ kind: 'event', action, from, to, details })
