import type { ColumnType, Generated } from 'kysely'

type Json<T> = ColumnType<T, string, string>

/** Rows of the notifications' tables: each person's inbox, agencies' webhooks and their deliveries. */
export interface NotificationTables {
  notifications: NotificationRow
  webhooks: WebhookRow
  webhook_deliveries: WebhookDeliveryRow
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
