/**
 * @module notifications
 * Telling people and systems what happened: each person's inbox, and agencies' webhooks with
 * signed deliveries from an outbox, retried with backoff; their routes.
 */

export { notificationsMigrations } from './migrations.js'
export type { NotificationTables } from './notification-tables.js'
export {
  announce,
  markRead,
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
export {
  deliverDue,
  listDeliveries,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
} from './webhooks.js'
