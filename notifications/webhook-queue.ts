import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { NotificationTables } from './notification-tables.js'

/**
 * Queues one event for every active webhook of `agencies`, in the caller's transaction: each
 * receiver gets the same event id and body, delivered (and retried) by the outbox. The body is
 * `{ id, type, occurredAt, …details }`.
 */
export async function queueWebhookEvent<DB extends NotificationTables>(
  database: Kysely<DB>,
  agencies: readonly string[],
  event: { type: string; details: Record<string, unknown> },
  now: Date,
): Promise<void> {
  // Only the notification tables are touched, whatever else the caller's transaction holds.
  const db = database as unknown as Kysely<NotificationTables>
  const hooks = await db
    .selectFrom('webhooks')
    .select('id')
    .where('active', '=', true)
    .where('agency', 'in', [...agencies])
    .execute()
  if (hooks.length === 0) return
  const eventId = `e_${randomUUID()}`
  const payload = JSON.stringify({
    id: eventId,
    type: event.type,
    occurredAt: now.toISOString(),
    ...event.details,
  })
  await db
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((h) => ({
        webhook_id: h.id,
        event_id: eventId,
        payload,
        created_at: now,
        next_attempt_at: now,
      })),
    )
    .execute()
}
