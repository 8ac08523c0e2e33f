/**
 * @module notifications
 * Telling people and systems what happened: each person's inbox, and agencies' webhooks with
 * signed deliveries from an outbox, retried with backoff; their routes.
 */

export { notificationsMigrations } from './migrations.js'
export type { NotificationTables } from './notification-tables.js'
export {
  announce,
  inbox,
  markRead,
  type Notification,
  type NotificationKind,
} from './notifications.js'
export {
  markReadBody,
  type NotificationRouteDeps,
  notificationRoutes,
  webhookBody,
  webhookPatch,
  webhookRoutes,
} from './routes.js'
export type { ResolveHost } from './webhook-transport.js'
export {
  type Delivery,
  deliverDue,
  listDeliveries,
  MAX_ATTEMPTS,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
  type Webhook,
} from './webhooks.js'
