import type { User } from '../identity/index.js'
import type { announce } from '../notifications/index.js'
import { dayInWords, describeGrantTerms, type TermsToDescribe } from './grant-terms.js'
import { SHARING_LIMIT_WORKING_DAYS } from './service-level.js'

/** One event for the inbox and webhooks, as notifications' `announce` takes it. */
export type Announcement = Parameters<typeof announce>[1]

/** The request a notice is about: its dataset and who asked. */
export interface NoticeSubject {
  requestId: string
  dataset: { id: string; title: string; agency: string }
  requester: { id: string; username: string; agency: string }
}

/** What happened, with what its wording needs. */
export type NoticeEvent =
  | { kind: 'request.submitted'; purpose: string }
  | { kind: 'request.received'; submittedAt: Date; approvalsNeeded: number }
  | { kind: 'request.amended'; changed: string[]; approvalsWithdrawn: number }
  | { kind: 'request.info-requested'; question: string }
  | { kind: 'request.resubmitted'; answer: string }
  | { kind: 'request.awaiting-second-approval'; steward: string }
  | { kind: 'request.approved'; terms: TermsToDescribe }
  | { kind: 'request.rejected'; reason: string }
  | { kind: 'request.withdrawn'; reason: string | undefined }
  | { kind: 'grant.revoked'; reason: string }

/**
 * Who is told (the owning agency's stewards, or the requester), and in what words. A receipt is
 * the actor's own copy of their step: everyone else is never told of their own steps.
 */
export interface NoticeText {
  to: 'stewards' | 'requester'
  title: string
  body: string
  receipt?: boolean
}

/** The words a field of a request goes by in a notice. */
const FIELD_WORDS: Record<string, string> = {
  columns: 'columns',
  purpose: 'purpose',
  legalBasis: 'legal basis',
  durationDays: 'duration',
}

/** The words of one notice. */
export function noticeText(subject: NoticeSubject, event: NoticeEvent): NoticeText {
  const { dataset, requester } = subject
  switch (event.kind) {
    case 'request.submitted':
      return {
        to: 'stewards',
        title: `${requester.username} (${requester.agency}) requests ${dataset.title}`,
        body: event.purpose,
      }
    case 'request.received':
      return {
        to: 'requester',
        receipt: true,
        title: `Your request for ${dataset.title} is with the stewards`,
        body: `Sent ${dayInWords(event.submittedAt)}. The stewards of ${dataset.agency} decide within ${SHARING_LIMIT_WORKING_DAYS} working days${event.approvalsNeeded > 1 ? ', and this data needs the approval of two of them' : ''}. You will be told of each step.`,
      }
    case 'request.amended':
      return {
        to: 'stewards',
        title: `${requester.username} amended the request for ${dataset.title}`,
        body: `Changed: ${event.changed.map((f) => FIELD_WORDS[f] ?? f).join(', ')}.${
          event.approvalsWithdrawn > 0
            ? ' The approval given before no longer counts: decide on the request as it stands now.'
            : ''
        }`,
      }
    case 'request.info-requested':
      return {
        to: 'requester',
        title: `A steward asks about your request for ${dataset.title}`,
        body: event.question,
      }
    case 'request.resubmitted':
      return {
        to: 'stewards',
        title: `${requester.username} answered about ${dataset.title}`,
        body: event.answer,
      }
    case 'request.awaiting-second-approval':
      return {
        to: 'requester',
        title: `Your request for ${dataset.title} has one of its two approvals`,
        body: `${event.steward} approved it. This data is Sensitive-High: a second steward must approve before you have access.`,
      }
    case 'request.approved':
      return {
        to: 'requester',
        title: `Your request for ${dataset.title} is approved`,
        body: describeGrantTerms(event.terms),
      }
    case 'request.rejected':
      return {
        to: 'requester',
        title: `Your request for ${dataset.title} was not approved`,
        body: event.reason,
      }
    case 'request.withdrawn':
      return {
        to: 'stewards',
        title: `${requester.username} withdrew the request for ${dataset.title}`,
        body: event.reason ?? '',
      }
    case 'grant.revoked':
      return {
        to: 'requester',
        title: `Your access to ${dataset.title} was revoked`,
        body: event.reason,
      }
  }
}

/** One step told to the people and systems concerned, except the actor who took it. */
export function announcementOf(
  subject: NoticeSubject,
  actor: Pick<User, 'id' | 'username'>,
  event: NoticeEvent,
): Announcement {
  return {
    kind: event.kind,
    ...noticeText(subject, event),
    request: {
      id: subject.requestId,
      agency: subject.dataset.agency,
      requesterId: subject.requester.id,
      requesterAgency: subject.requester.agency,
    },
    actorId: actor.id,
    link: `/requests/${subject.requestId}`,
    details: {
      dataset: subject.dataset.id,
      requester: { username: subject.requester.username, agency: subject.requester.agency },
      by: actor.username,
    },
  }
}
