import { z } from 'zod'
import { DATASET_EVENT_KINDS } from './dataset-notices.js'

/**
 * The shapes the inbox and webhook routes answer with, as JSON (times are ISO 8601 strings). A
 * time or status not known yet is sent as null.
 */

const time = z.iso.datetime().describe('ISO 8601 time')
const count = z.number().int().min(0)

const notificationJson = z.strictObject({
  id: z.number().int(),
  kind: z.enum([
    'request.submitted',
    'request.received',
    'request.amended',
    'request.awaiting-second-approval',
    'request.info-requested',
    'request.resubmitted',
    'request.approved',
    'request.rejected',
    'request.withdrawn',
    'grant.expiring',
    'grant.revoked',
    ...DATASET_EVENT_KINDS,
  ]),
  subjectId: z.string().describe('The request (or, for `dataset.*`, the dataset) it is about'),
  title: z.string(),
  body: z.string(),
  link: z.string().describe('Where in the portal to act on it'),
  createdAt: time,
  readAt: time.nullable().describe('null while unread'),
})

/** The newest entries of the caller's inbox (at most 100), with how many are unread. */
export const inboxJson = z.strictObject({
  unread: count,
  notifications: z.array(notificationJson),
})

export const markedReadJson = z.strictObject({
  marked: count.describe('How many entries were unread and are now read'),
})

/** An agency's webhook with its delivery counts; never its secret. */
export const webhookJson = z.strictObject({
  id: z.string().describe('`w_` + 32 hex digits'),
  agency: z.string(),
  url: z.string(),
  createdBy: z.string(),
  createdAt: time,
  active: z.boolean().describe('false: disabled, nothing is queued or sent'),
  deliveries: z.strictObject({
    pending: count,
    delivered: count,
    failing: count.describe('Undelivered after 10 attempts or more, still retried hourly'),
  }),
})

export const registeredWebhookJson = webhookJson.extend({
  secret: z
    .string()
    .describe('The signing secret (`whsec_…`) for `x-portal-signature`: shown only here'),
})

/** What was sent to a webhook, and how its attempts went. */
export const deliveryJson = z.strictObject({
  id: z.number().int(),
  eventId: z.string().describe('As sent in `x-portal-event`'),
  type: z.string().describe('The event kind, e.g. `request.approved`'),
  attempts: count,
  createdAt: time,
  deliveredAt: time.nullable().describe('null until delivered'),
  nextAttemptAt: time.nullable().describe('null once delivered'),
  lastStatus: z
    .number()
    .int()
    .nullable()
    .describe(
      "The receiver's HTTP status at the last attempt; null when none was made or none answered",
    ),
  lastError: z
    .string()
    .nullable()
    .describe(
      'Why the last attempt failed (`refused: the destination is not allowed` for a receiver the platform would not send to); null when the last attempt succeeded or none was made',
    ),
})

export const deletedWebhookJson = z.strictObject({
  id: z.string(),
  droppedPending: count.describe('Deliveries still waiting, dropped with it'),
})
