import type { User } from '../identity/index.js'
import type { announce } from '../notifications/index.js'
import { singaporeDay } from '../reference/index.js'

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
  | { kind: 'request.info-requested'; question: string }
  | { kind: 'request.resubmitted'; answer: string }
  | { kind: 'request.approved'; expiresAt: Date; columns: string[] | undefined }
  | { kind: 'request.rejected'; reason: string }
  | { kind: 'request.withdrawn'; reason: string | undefined }
  | { kind: 'grant.revoked'; reason: string }

/** Who is told (the owning agency's stewards, or the requester), and in what words. */
export interface NoticeText {
  to: 'stewards' | 'requester'
  title: string
  body: string
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
    case 'request.approved':
      return {
        to: 'requester',
        title: `Your request for ${dataset.title} is approved`,
        body: `Access until ${singaporeDay(event.expiresAt)}${event.columns ? `, columns ${event.columns.join(', ')}` : ''}.`,
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
