import type { Insertable, Selectable, Updateable } from 'kysely'
import type { WorkingDayCalendar } from '../reference/index.js'
import {
  type AccessRequest,
  type Grant,
  grantStatus,
  type RequestEvent,
  type RowCondition,
} from './access-request.js'
import type {
  AccessApprovalRow,
  AccessRequestEventRow,
  AccessRequestRow,
  GrantRow,
} from './access-tables.js'
import type { Approval, RecordedConditions } from './approval.js'
import type { DatasetColumns } from './dataset-columns.js'
import { toGrantUsage } from './grant-usage.js'
import type { RequestState } from './request-states.js'
import type { RequestUnderStep } from './request-workflow.js'
import { serviceLevel, stateChanges } from './service-level.js'
import type { NewGrant, NewRequest, RequestChanges } from './workflow-effects.js'

/** A grant row with what its reader shows beside it: the dataset's names, purpose and usage. */
export type GrantJoined = Selectable<GrantRow> & {
  slug: string
  title: string
  purpose: string
  usage_queries: number | null
  usage_downloads: number | null
  usage_last_used_at: Date | null
}

/** A request row with its dataset's names and classification. */
export type RequestJoined = Selectable<AccessRequestRow> & {
  slug: string
  title: string
  security_classification: string
  sensitivity: string
}

/** A request row as a step locks it, with its dataset as it stands now. */
export type LockedRequestRow = Selectable<AccessRequestRow> & {
  dataset_title: string
  dataset_sensitivity: string
}

type ApprovalJoined = Pick<Selectable<AccessApprovalRow>, 'steward_id' | 'steward' | 'at'> & {
  conditions: unknown
}
type EventRow = Selectable<AccessRequestEventRow>

export function toGrant(row: GrantJoined, now: Date): Grant {
  const revoked =
    row.revoked_at === null
      ? undefined
      : { at: row.revoked_at, by: row.revoked_by ?? '', reason: row.revoke_reason ?? '' }
  return {
    id: row.id,
    requestId: row.request_id,
    dataset: { id: row.dataset_id, slug: row.slug, title: row.title, agency: row.agency },
    grantee: { id: row.grantee_id, username: row.grantee, agency: row.grantee_agency },
    scope: row.scope,
    columns: row.columns ?? undefined,
    rowFilter: row.row_filter as RowCondition[],
    inClear: row.in_clear,
    grantedAt: row.granted_at,
    grantedBy: row.granted_by,
    expiresAt: row.expires_at,
    status: grantStatus({ expiresAt: row.expires_at, revoked }, now),
    revoked,
    purpose: row.purpose,
    usage: toGrantUsage(row),
  }
}

export function toRequestEvent(row: EventRow): RequestEvent {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action as RequestEvent['action'],
    from: (row.from_state ?? undefined) as RequestState | undefined,
    to: row.to_state as RequestState,
    details: row.details as Record<string, unknown>,
  }
}

/** A request with its history, approvals and grant, its clock read at `now`. */
export function toAccessRequest(
  row: RequestJoined,
  related: {
    events: EventRow[]
    approvals: { steward: string; at: Date }[]
    grant: GrantJoined | undefined
  },
  calendar: WorkingDayCalendar,
  now: Date,
): AccessRequest {
  const history = related.events.map(toRequestEvent)
  const grant = related.grant ? toGrant(related.grant, now) : undefined
  const state = row.state as RequestState
  return {
    id: row.id,
    dataset: {
      id: row.dataset_id,
      slug: row.slug,
      title: row.title,
      agency: row.agency,
      security: row.security_classification,
      sensitivity: row.sensitivity,
    },
    requester: { id: row.requester_id, username: row.requester, agency: row.requester_agency },
    scope: row.scope,
    columns: row.columns ?? undefined,
    purpose: row.purpose,
    legalBasis: row.legal_basis,
    durationDays: row.duration_days,
    project: row.project ?? undefined,
    crossAgency: row.cross_agency,
    state,
    status: state === 'approved' ? (grant?.status ?? 'active') : state,
    approvalsNeeded: row.approvals_needed,
    approvals: related.approvals.map((a) => ({ steward: a.steward, at: a.at })),
    question: row.question ?? undefined,
    decisionReason: row.decision_reason ?? undefined,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at ?? undefined,
    grant,
    serviceLevel: serviceLevel(stateChanges(history), calendar, now),
    history,
  }
}

/** A locked request as its step reads it. */
export function toRequestUnderStep(
  row: LockedRequestRow,
  related: { events: EventRow[]; approvals: ApprovalJoined[]; columns: DatasetColumns },
): RequestUnderStep {
  return {
    id: row.id,
    dataset: {
      id: row.dataset_id,
      title: row.dataset_title,
      agency: row.agency,
      sensitivity: row.dataset_sensitivity,
      columns: related.columns,
    },
    requester: { id: row.requester_id, username: row.requester, agency: row.requester_agency },
    scope: row.scope,
    columns: row.columns ?? undefined,
    durationDays: row.duration_days,
    state: row.state as RequestState,
    approvalsNeeded: row.approvals_needed,
    approvals: related.approvals.map(
      (a): Approval => ({
        stewardId: a.steward_id,
        steward: a.steward,
        at: a.at,
        conditions: a.conditions as RecordedConditions,
      }),
    ),
    history: related.events.map(toRequestEvent),
  }
}

export function newRequestRow(r: NewRequest): Insertable<AccessRequestRow> {
  return {
    id: r.id,
    dataset_id: r.dataset.id,
    agency: r.dataset.agency,
    requester_id: r.requester.id,
    requester: r.requester.username,
    requester_agency: r.requester.agency,
    columns: r.columns ? JSON.stringify(r.columns) : null,
    scope: r.scope,
    purpose: r.purpose,
    legal_basis: r.legalBasis,
    duration_days: r.durationDays,
    project: r.project ? JSON.stringify(r.project) : null,
    cross_agency: r.crossAgency,
    state: r.state,
    approvals_needed: r.approvalsNeeded,
    submitted_at: r.submittedAt,
    updated_at: r.submittedAt,
  }
}

/** The columns a step changes; `undefined` leaves a column as it is. */
export function requestChangesRow(c: RequestChanges, now: Date): Updateable<AccessRequestRow> {
  return {
    state: c.state,
    question: c.question,
    decision_reason: c.decisionReason,
    decided_at: c.decidedAt,
    decision_working_days: c.decisionWorkingDays,
    approvals_needed: c.approvalsNeeded,
    columns: c.columns && JSON.stringify(c.columns),
    purpose: c.purpose,
    legal_basis: c.legalBasis,
    duration_days: c.durationDays,
    updated_at: now,
  }
}

export function newGrantRow(g: NewGrant): Insertable<GrantRow> {
  return {
    id: g.id,
    request_id: g.requestId,
    dataset_id: g.dataset.id,
    agency: g.dataset.agency,
    grantee_id: g.grantee.id,
    grantee: g.grantee.username,
    grantee_agency: g.grantee.agency,
    columns: g.terms.columns ? JSON.stringify(g.terms.columns) : null,
    row_filter: JSON.stringify(g.terms.rowFilter),
    in_clear: JSON.stringify(g.terms.inClear),
    scope: g.scope,
    granted_at: g.grantedAt,
    granted_by: JSON.stringify(g.grantedBy),
    expires_at: g.terms.expiresAt,
    grant_working_days: g.grantWorkingDays,
  }
}
