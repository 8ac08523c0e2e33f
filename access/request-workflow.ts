import { ConflictError, ForbiddenError, InvalidInputError } from '../core/index.js'
import { type AppAbility, asSubject, type User } from '../identity/index.js'
import type { WorkingDayCalendar } from '../reference/index.js'
import type { AccessScope, ApprovalConditions, RequestInput } from './access-request.js'
import {
  type Approval,
  approvalConditions,
  approvalsNeeded,
  lapsedApprovals,
  narrowestTerms,
} from './approval.js'
import { assertKnownColumns, type DatasetColumns } from './dataset-columns.js'
import { announcementOf, type NoticeEvent } from './notices.js'
import { ACTION_BY, nextState, type RequestAction, type RequestState } from './request-states.js'
import { workingDaysToDecision } from './service-level.js'
import { type Decision, type Effect, historyEvent } from './workflow-effects.js'

/** What a step may carry: an approval's conditions, a reason, a question, an answer. */
export interface ActionInput extends ApprovalConditions {
  reason?: string
  question?: string
  answer?: string
  /** On resubmit, a request corrected as asked; on amend, changed while it waits. */
  changes?: RequestChangesAsked
}

/** What a requester may change of a waiting request; `columns: null` asks for every column. */
export type RequestChangesAsked = Partial<
  Pick<RequestInput, 'purpose' | 'legalBasis' | 'durationDays'> & { columns: string[] | null }
>

const AMENDABLE = ['columns', 'purpose', 'legalBasis', 'durationDays'] as const

/** A request as a step reads it, under its row lock. */
export interface RequestUnderStep {
  id: string
  /** The dataset as it stands now: a reclassification since the request counts. */
  dataset: {
    id: string
    title: string
    agency: string
    sensitivity: string
    columns: DatasetColumns
  }
  requester: { id: string; username: string; agency: string }
  scope: AccessScope
  /** Undefined: every column. */
  columns: string[] | undefined
  durationDays: number
  state: RequestState
  approvalsNeeded: number
  /** Oldest first. */
  approvals: Approval[]
  /** Every step so far, oldest first. */
  history: { at: Date; from: RequestState | undefined; to: RequestState }[]
}

/** One step asked of the workflow. */
export interface Step {
  request: RequestUnderStep
  action: RequestAction
  input: ActionInput
  actor: User
  ability: AppAbility
  now: Date
  calendar: WorkingDayCalendar
  /** The id the grant takes if this step completes the approvals. */
  grantId: string
}

type StepDecider = (step: Step, to: RequestState) => Decision

/**
 * Decides one step of a request: who may take it, whether the request's state allows it, what
 * it needs, and what it writes (the audit entry last). Throws the refusal otherwise.
 */
export function decideStep(step: Step): Decision {
  const { request, action } = step
  authorize(step)
  const from = request.state
  const { next, effects } = DECIDERS[action](step, nextState(from, action))
  const grant = effects.find((e) => e.kind === 'grant')
  const audit: Effect = {
    kind: 'audit',
    action: `request.${action}`,
    subject: { type: 'AccessRequest', id: request.id },
    details: {
      dataset: request.dataset.id,
      from,
      state: next,
      ...(grant && { grant: grant.grant.id }),
    },
  }
  return { next, effects: [...effects, audit] }
}

/** Stewards of the owning agency decide, never on their own request; requesters do the rest. */
function authorize({ request, action, actor, ability }: Step): void {
  if (ACTION_BY[action] === 'steward') {
    const subject = asSubject('AccessRequest', {
      requesterId: request.requester.id,
      agency: request.dataset.agency,
    })
    if (!ability.can('decide', subject))
      throw new ForbiddenError(
        `Only stewards of ${request.dataset.agency}, which owns the dataset, may ${action} this request`,
      )
    if (request.requester.id === actor.id)
      throw new ForbiddenError('Nobody decides on their own request: another steward must')
  } else if (request.requester.id !== actor.id) {
    throw new ForbiddenError(
      `Only ${request.requester.username}, who made the request, may ${action} it`,
    )
  }
}

const DECIDERS: Record<RequestAction, StepDecider> = {
  approve,
  reject(step, to) {
    const reason = required(step.input.reason, 'reason', 'say why the request is rejected')
    return {
      next: to,
      effects: [
        { kind: 'update', changes: { ...decided(step, to), decisionReason: reason } },
        historyEvent('reject', step.request.state, to, { reason }),
        notify(step, { kind: 'request.rejected', reason }),
      ],
    }
  },
  'ask-info'(step, to) {
    const question = required(step.input.question, 'question', 'say what information is needed')
    return {
      next: to,
      effects: [
        { kind: 'update', changes: { state: to, question } },
        historyEvent('ask-info', step.request.state, to, { question }),
        notify(step, { kind: 'request.info-requested', question }),
      ],
    }
  },
  resubmit(step, to) {
    const answer = required(step.input.answer, 'answer', "answer the steward's question")
    const changes = step.input.changes ?? {}
    if (changes.columns) assertKnownColumns(step.request.dataset.columns, changes.columns)
    return {
      next: to,
      effects: [
        {
          kind: 'update',
          changes: {
            state: to,
            ...(changes.columns && { columns: changes.columns }),
            ...(changes.purpose && { purpose: changes.purpose }),
            ...(changes.legalBasis && { legalBasis: changes.legalBasis }),
            ...(changes.durationDays && { durationDays: changes.durationDays }),
          },
        },
        // A changed request is a new question: earlier approvals do not carry over.
        { kind: 'drop-approvals', stewardIds: 'all' },
        historyEvent('resubmit', step.request.state, to, {
          answer,
          changed: Object.keys(changes),
        }),
        notify(step, { kind: 'request.resubmitted', answer }),
      ],
    }
  },
  amend,
  withdraw(step, to) {
    return {
      next: to,
      effects: [
        { kind: 'update', changes: { state: to } },
        historyEvent('withdraw', step.request.state, to, {}),
        notify(step, { kind: 'request.withdrawn', reason: step.input.reason }),
      ],
    }
  },
}

/**
 * A requester's amendment of a request still waiting (submitted, or asked for information): it
 * stays where it was. Approvals given before no longer count, since they were given to another
 * request. The working-day clock is neither restarted nor paused: the 7 working days run from
 * the submission, so amending never resets what the stewards owe, and a request asked for
 * information stays paused until answered.
 */
function amend(step: Step, to: RequestState): Decision {
  const { request } = step
  const changes = step.input.changes ?? {}
  const changed = AMENDABLE.filter((f) => changes[f] !== undefined)
  if (changed.length === 0)
    throw new InvalidInputError('Say what changes: columns, purpose, legalBasis or durationDays')
  if (changes.columns) assertKnownColumns(request.dataset.columns, changes.columns)
  const withdrawn = request.approvals.length
  return {
    next: to,
    effects: [
      {
        kind: 'update',
        changes: {
          ...(changes.columns !== undefined && { columns: changes.columns }),
          ...(changes.purpose && { purpose: changes.purpose }),
          ...(changes.legalBasis && { legalBasis: changes.legalBasis }),
          ...(changes.durationDays && { durationDays: changes.durationDays }),
        },
      },
      ...(withdrawn > 0 ? [{ kind: 'drop-approvals' as const, stewardIds: 'all' as const }] : []),
      historyEvent('amend', request.state, to, {
        changed,
        ...changes,
        ...(withdrawn > 0 && { approvalsWithdrawn: withdrawn }),
      }),
      notify(step, { kind: 'request.amended', changed, approvalsWithdrawn: withdrawn }),
    ],
  }
}

/**
 * A steward's approval. One is enough unless the data is Sensitive-High, which needs two by
 * different stewards; the grant then takes the narrowest of their conditions. An earlier
 * approval whose end has passed no longer counts: it is dropped, and said so.
 */
function approve(step: Step, to: RequestState): Decision {
  const { request, actor, now } = step
  const conditions = approvalConditions(step.input, request, now)
  const lapsed = lapsedApprovals(request.approvals, now)
  const kept = request.approvals.filter((a) => !lapsed.includes(a))
  if (kept.some((a) => a.stewardId === actor.id))
    throw new ConflictError(
      'You have already approved this request: it needs the approval of a different steward',
    )
  // Rules as they stand now: data reclassified Sensitive-High since the request needs two.
  const needed = Math.max(
    request.approvalsNeeded,
    approvalsNeeded(request.dataset.sensitivity, request.scope),
  )
  const approvals = [...kept, { stewardId: actor.id, steward: actor.username, at: now, conditions }]
  const recorded: Effect[] = [
    ...(lapsed.length > 0
      ? [{ kind: 'drop-approvals' as const, stewardIds: lapsed.map((a) => a.stewardId) }]
      : []),
    ...(needed !== request.approvalsNeeded
      ? [{ kind: 'update' as const, changes: { approvalsNeeded: needed } }]
      : []),
    { kind: 'approval', conditions },
  ]
  const counts = { approvals: approvals.length, needed }
  if (approvals.length < needed) {
    const details = {
      ...conditions,
      ...counts,
      ...(lapsed.length > 0 && { lapsed: lapsed.map((a) => a.steward) }),
    }
    const event = historyEvent('approve', 'submitted', 'submitted', details)
    const told = notify(step, { kind: 'request.awaiting-second-approval', steward: actor.username })
    return { next: 'submitted', effects: [...recorded, event, told] }
  }
  const terms = narrowestTerms(approvals, request.columns)
  const decision = decided(step, to)
  const grant: Effect = {
    kind: 'grant',
    grant: {
      id: step.grantId,
      requestId: request.id,
      dataset: { id: request.dataset.id, agency: request.dataset.agency },
      grantee: request.requester,
      scope: request.scope,
      terms,
      grantedAt: now,
      grantedBy: approvals.map((a) => a.steward),
      grantWorkingDays: decision.decisionWorkingDays,
    },
  }
  return {
    next: to,
    effects: [
      ...recorded,
      { kind: 'update', changes: { ...decision, question: null } },
      grant,
      historyEvent('approve', 'submitted', to, { ...conditions, ...counts }),
      notify(step, {
        kind: 'request.approved',
        terms: {
          ...terms,
          scope: request.scope,
          directIdentifiers: request.dataset.columns.directIdentifiers,
        },
      }),
    ],
  }
}

/** A request closed by a decision now, with the working days it took. */
function decided({ request, now, calendar }: Step, to: RequestState) {
  return {
    state: to,
    decidedAt: now,
    decisionWorkingDays: workingDaysToDecision(request.history, to, calendar, now),
  }
}

function notify({ request, actor }: Step, event: NoticeEvent): Effect {
  const subject = {
    requestId: request.id,
    dataset: request.dataset,
    requester: request.requester,
  }
  return { kind: 'notify', announcement: announcementOf(subject, actor, event) }
}

function required(value: string | undefined, field: string, hint: string): string {
  if (!value?.trim()) throw new InvalidInputError(`${field}: ${hint}`)
  return value.trim()
}
