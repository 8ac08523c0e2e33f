import type { ColumnType, Generated } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** Rows of the notifications' tables: each person's inbox, agencies' webhooks and their deliveries. */
export interface NotificationTables {
  notifications: NotificationRow
  webhooks: WebhookRow
  webhook_deliveries: WebhookDeliveryRow
  dataset_follows: DatasetFollowRow
  dataset_events: DatasetEventRow
}

/** A person following a dataset: told of its new versions, schema changes, failed checks. */
export interface DatasetFollowRow {
  user_id: string
  dataset_id: string
  created_at: Date
}

/** What happened to a dataset, as its followers' lists show the latest. */
export interface DatasetEventRow {
  id: Generated<number>
  dataset_id: string
  kind: string
  title: string
  link: string
  occurred_at: Date
}

export interface NotificationRow {
  id: Generated<number>
  recipient_id: string
  kind: string
  subject_id: string
  title: string
  body: string
  link: string
  created_at: Date
  read_at: Date | null
  once_key: string | null
}

export interface WebhookRow {
  id: string
  agency: string
  url: string
  secret: string
  created_by: string
  created_at: Date
  active: Generated<boolean>
}

export interface WebhookDeliveryRow {
  id: Generated<number>
  webhook_id: string
  event_id: string
  payload: Json<Record<string, unknown>>
  created_at: Date
  attempts: Generated<number>
  next_attempt_at: Date
  delivered_at: Date | null
  last_status: number | null
  last_error: string | null
  claim_token: string | null
}
