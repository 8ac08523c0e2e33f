import type { Kysely } from 'kysely'
import {
  asSubject,
  createUserStore,
  defineAbilityFor,
  type IdentityTables,
  type User,
} from '../identity/index.js'
import {
  type DatasetEventKind,
  type DatasetNews,
  type DatasetNewsRef,
  datasetNotice,
  webhookDetails,
} from './dataset-notices.js'
import type { NotificationTables } from './notification-tables.js'
import { queueWebhookEvent } from './webhook-queue.js'

type Db = Kysely<NotificationTables & IdentityTables>

/** A dataset a person follows, and the latest thing its followers were told of. */
export interface Follow {
  datasetId: string
  followedAt: Date
  lastEvent: { kind: DatasetEventKind; title: string; link: string; at: Date } | null
}

/** Follows the dataset (again: the first time stays); when the person follows it since. */
export async function follow(db: Db, userId: string, datasetId: string, now: Date): Promise<Date> {
  await db
    .insertInto('dataset_follows')
    .values({ user_id: userId, dataset_id: datasetId, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'dataset_id']).doNothing())
    .execute()
  const row = await db
    .selectFrom('dataset_follows')
    .select('created_at')
    .where('user_id', '=', userId)
    .where('dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow()
  return row.created_at
}

/** Stops following the dataset; whether the person followed it. */
export async function unfollow(db: Db, userId: string, datasetId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('dataset_follows')
    .where('user_id', '=', userId)
    .where('dataset_id', '=', datasetId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** The datasets a person follows (newest first, at most `limit`), each with its last event. */
export async function listFollows(db: Db, userId: string, limit = 200): Promise<Follow[]> {
  const rows = await db
    .selectFrom('dataset_follows as f')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('dataset_events as e')
          .select(['e.kind', 'e.title', 'e.link', 'e.occurred_at'])
          .whereRef('e.dataset_id', '=', 'f.dataset_id')
          .orderBy('e.id', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .select([
      'f.dataset_id',
      'f.created_at',
      'last.kind',
      'last.title',
      'last.link',
      'last.occurred_at',
    ])
    .where('f.user_id', '=', userId)
    .orderBy('f.created_at', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    datasetId: r.dataset_id,
    followedAt: r.created_at,
    lastEvent:
      r.kind && r.title && r.link && r.occurred_at
        ? { kind: r.kind as DatasetEventKind, title: r.title, link: r.link, at: r.occurred_at }
        : null,
  }))
}

/**
 * Tells of one event: recorded as the dataset's latest, written to the inbox of every follower
 * who may still discover the dataset (a follower who lost that hears nothing), and queued for
 * the owning agency's webhooks, all in one transaction.
 */
export async function tellFollowers(db: Db, news: DatasetNews, now: Date): Promise<void> {
  const followers = await db
    .selectFrom('dataset_follows')
    .select('user_id')
    .where('dataset_id', '=', news.dataset.id)
    .execute()
  const users = createUserStore(db)
  const found = await Promise.all(followers.map((f) => users.findUser(f.user_id)))
  const readers = found.filter((u): u is User => u !== undefined && mayDiscover(u, news.dataset))
  const general = datasetNotice(news, () => false)
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('dataset_events')
      .values({
        dataset_id: news.dataset.id,
        kind: news.kind,
        title: general.title,
        link: general.link,
        occurred_at: now,
      })
      .execute()
    if (readers.length > 0)
      await trx
        .insertInto('notifications')
        .values(
          readers.map((reader) => {
            const notice = datasetNotice(news, (other) => mayDiscover(reader, other))
            return {
              recipient_id: reader.id,
              kind: news.kind,
              subject_id: news.dataset.id,
              title: notice.title,
              body: notice.body,
              link: notice.link,
              created_at: now,
            }
          }),
        )
        .execute()
    await queueWebhookEvent(
      trx,
      [news.dataset.agency],
      { type: news.kind, details: webhookDetails(news) },
      now,
    )
  })
}

function mayDiscover(user: User, dataset: DatasetNewsRef): boolean {
  return defineAbilityFor(user).can(
    'read',
    asSubject('Dataset', {
      agency: dataset.agency,
      security: dataset.classification.security,
      sensitivity: dataset.classification.sensitivity,
    }),
  )
}
