import { type Kysely, sql } from 'kysely'
import type { IdentityTables } from '../identity/index.js'
import type { DatasetEventKind } from './dataset-notices.js'
import type { NotificationTables } from './notification-tables.js'
import { queueWebhookEvent } from './webhook-queue.js'

type Db = Kysely<NotificationTables & Pick<IdentityTables, 'users'>>

/** What happened, as the inbox and webhooks name it. */
export type NotificationKind =
  | 'request.submitted'
  | 'request.received'
  | 'request.amended'
  | 'request.awaiting-second-approval'
  | 'request.info-requested'
  | 'request.resubmitted'
  | 'request.approved'
  | 'request.rejected'
  | 'request.withdrawn'
  | 'grant.expiring'
  | 'grant.revoked'
  | DatasetEventKind

export interface Notification {
  id: number
  kind: NotificationKind
  subjectId: string
  title: string
  body: string
  /** Where in the portal to act on it. */
  link: string
  createdAt: Date
  /** null while unread. */
  readAt: Date | null
}

/** One workflow event, told to people (inbox) and to agencies' systems (webhooks). */
export interface Announcement {
  kind: NotificationKind
  request: { id: string; agency: string; requesterId: string; requesterAgency: string }
  /** The stewards of the owning agency, or the requester. */
  to: 'stewards' | 'requester'
  /** Not told of their own step. */
  actorId: string
  title: string
  body: string
  link: string
  /** What the webhook event carries besides the kind and the request. */
  details: Record<string, unknown>
  /** Sent at most once per recipient under this key (reminders), webhooks included. */
  onceKey?: string
  /**
   * The actor's own receipt of their step (a request received): told to them, in the inbox only;
   * agencies' systems hear of the step by its own event.
   */
  receipt?: boolean
}

/**
 * Writes the inbox entries and the webhook outbox rows for one event, in the transaction of the
 * step itself: if the step rolls back, nobody is told; if it commits, nothing is lost. False when
 * a reminder was already sent.
 */
export async function announce(db: Db, event: Announcement, now: Date): Promise<boolean> {
  const recipients =
    event.to === 'requester'
      ? [event.request.requesterId]
      : (
          await db
            .selectFrom('users')
            .select('id')
            .where('agency_code', '=', event.request.agency)
            .where(sql<boolean>`'steward' = any(roles)`)
            .execute()
        ).map((u) => u.id)
  const targets = event.receipt ? recipients : recipients.filter((id) => id !== event.actorId)
  if (targets.length > 0) {
    const written = await db
      .insertInto('notifications')
      .values(
        targets.map((recipient) => ({
          recipient_id: recipient,
          kind: event.kind,
          subject_id: event.request.id,
          title: event.title,
          body: event.body,
          link: event.link,
          created_at: now,
          // One reminder per recipient, however often the sweep that finds it runs.
          once_key: event.onceKey ? `${event.onceKey}:${recipient}` : null,
        })),
      )
      .onConflict((oc) => oc.column('once_key').doNothing())
      .returning('id')
      .execute()
    if (event.onceKey && written.length === 0) return false
  }
  if (event.receipt) return true
  // Agencies on both sides of the request may listen: the owner and the requester's agency.
  await queueWebhookEvent(
    db,
    [event.request.agency, event.request.requesterAgency],
    {
      type: event.kind,
      details: {
        request: { id: event.request.id, agency: event.request.agency },
        ...event.details,
      },
    },
    now,
  )
  return true
}

/** The newest entries of a person's inbox, with how many are unread. */
export async function inbox(
  db: Db,
  recipientId: string,
  limit = 100,
): Promise<{ unread: number; notifications: Notification[] }> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      // In time order, newest first: fixtures and replays record past moments after later ones.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('recipient_id', '=', recipientId)
      .where('read_at', 'is', null)
      .executeTakeFirst(),
  ])
  return {
    unread: Number(unread?.n ?? 0),
    notifications: rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind as NotificationKind,
      subjectId: r.subject_id,
      title: r.title,
      body: r.body,
      link: r.link,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
  }
}

/** Marks the given entries (or all) of a person's inbox read; others' entries are untouched. */
export async function markRead(
  db: Db,
  recipientId: string,
  ids: number[] | undefined,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids?.length ? ids : [-1]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
