/**
 * @module notifications
 * Telling people and systems what happened: each person's inbox, and agencies' webhooks with
 * signed deliveries from an outbox, retried with backoff; their routes.
 */

export { tellFollowers } from './dataset-follows.js'
export { DATASET_EVENT_KINDS, type DatasetNews } from './dataset-notices.js'
export { FOLLOW_API, FOLLOWS_API } from './follow-api.js'
export { type FollowRouteDeps, followRoutes, followsRoutes } from './follow-routes.js'
export { notificationsMigrations } from './migrations.js'
export type { NotificationTables } from './notification-tables.js'
export {
  announce,
  markRead,
} from './notifications.js'
export {
  NOTIFICATIONS_API,
  type NotificationRouteDeps,
  notificationRoutes,
  WEBHOOKS_API,
  webhookRoutes,
} from './routes.js'
export {
  deliverDue,
  listDeliveries,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
} from './webhooks.js'
