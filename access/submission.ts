import { ConflictError, ForbiddenError } from '../core/index.js'
import type { AppAbility, User } from '../identity/index.js'
import type { RequestInput } from './access-request.js'
import { approvalsNeeded } from './approval.js'
import { assertKnownColumns, type DatasetColumns } from './dataset-columns.js'
import { dayInWords } from './grant-terms.js'
import { announcementOf } from './notices.js'
import { type Decision, historyEvent, type NewRequest } from './workflow-effects.js'

/** A request about to be made, with what the store found that bears on it. */
export interface Submission {
  /** The id the request takes. */
  id: string
  input: RequestInput
  dataset: {
    id: string
    slug: string
    title: string
    agency: string
    security: string
    sensitivity: string
    columns: DatasetColumns
  }
  requester: User
  ability: AppAbility
  now: Date
  /** The requester's live aggregate-only grant on the dataset, if any. */
  heldAggregates: { id: string; expiresAt: Date } | undefined
  /** The requester's request for the dataset still open, if any. */
  openRequest: { id: string; submittedAt: Date } | undefined
}

/**
 * One open request per person and dataset: the refusal, in words, naming the open one by the day
 * it was sent when known.
 */
export const openRequestConflict = (title: string, sentAt?: Date) =>
  new ConflictError(
    `You already have a request for ${title} waiting for the stewards${
      sentAt ? ` (your request of ${dayInWords(sentAt)})` : ''
    }: amend it or withdraw it rather than sending another`,
  )

/**
 * Decides a new request: refused for Official (Open) data (no request needed), for unknown
 * columns, and while the requester holds aggregate access to it or has a request open for it.
 */
export function decideSubmission(submission: Submission): Decision {
  const { input, dataset, requester, now } = submission
  if (!submission.ability.can('create', 'AccessRequest'))
    throw new ForbiddenError('You may not request access to data')
  if (dataset.security === 'official-open')
    throw new ConflictError(
      `'${dataset.slug}' is Official (Open): everyone may download it in full, no request needed`,
    )
  if (input.columns) assertKnownColumns(dataset.columns, input.columns)
  // Output checks compare a person's aggregate answers over one view: a second one, filtered
  // otherwise, would let two answers differ unseen.
  const held = submission.heldAggregates
  if (input.scope === 'aggregates' && held)
    throw new ConflictError(
      `You already hold aggregate-only access to ${dataset.title} (until ${dayInWords(held.expiresAt)}): one at a time`,
    )
  const open = submission.openRequest
  if (open) throw openRequestConflict(dataset.title, open.submittedAt)
  const partners = input.project?.partnerAgencies ?? []
  const scope = input.scope ?? 'rows'
  const request: NewRequest = {
    id: submission.id,
    dataset: { id: dataset.id, slug: dataset.slug, title: dataset.title, agency: dataset.agency },
    requester: { id: requester.id, username: requester.username, agency: requester.agency.code },
    scope,
    columns: input.columns,
    purpose: input.purpose,
    legalBasis: input.legalBasis,
    durationDays: input.durationDays,
    project: input.project && { name: input.project.name, partnerAgencies: partners },
    crossAgency:
      requester.agency.code !== dataset.agency || partners.some((p) => p !== dataset.agency),
    state: 'submitted',
    approvalsNeeded: approvalsNeeded(dataset.sensitivity, scope),
    submittedAt: now,
  }
  const subject = { requestId: request.id, dataset, requester: request.requester }
  return {
    next: 'submitted',
    effects: [
      { kind: 'create', request },
      historyEvent('submit', undefined, 'submitted', {}),
      {
        kind: 'notify',
        announcement: announcementOf(subject, requester, {
          kind: 'request.submitted',
          purpose: input.purpose,
        }),
      },
      {
        kind: 'notify',
        announcement: announcementOf(subject, requester, {
          kind: 'request.received',
          submittedAt: now,
          approvalsNeeded: request.approvalsNeeded,
        }),
      },
      {
        kind: 'audit',
        action: 'request.submit',
        subject: { type: 'AccessRequest', id: request.id },
        details: {
          dataset: dataset.slug,
          columns: input.columns ?? 'all',
          scope,
          crossAgency: request.crossAgency,
        },
      },
    ],
  }
}
