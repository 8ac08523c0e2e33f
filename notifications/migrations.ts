import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** Each person's inbox, agencies' webhooks and their deliveries (cut from catalog). */
export const notificationsMigrations: MigrationSet = {
  module: 'notifications',
  formerly: 'catalog',
  migrations: {
    '20261122-13-catalog-notifications': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notifications')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('recipient_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('link', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('read_at', 'timestamptz')
          // Reminders are sent once: the sweep that finds them may run any number of times.
          .addColumn('once_key', 'text', (c) => c.unique())
          .execute()
        await db.schema
          .createIndex('notifications_inbox')
          .on('notifications')
          .columns(['recipient_id', 'id'])
          .execute()
        await db.schema
          .createTable('webhooks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('agency', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          // Signs each delivery (HMAC-SHA256); shown once to whoever registers the webhook.
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
          .execute()
        // The outbox: written in the same transaction as the step it tells of, delivered later
        // with retries, kept after delivery as the record of what was sent.
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('payload', 'jsonb', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
          .addColumn('delivered_at', 'timestamptz')
          .addColumn('last_status', 'integer')
          .addColumn('last_error', 'text')
          .addUniqueConstraint('webhook_deliveries_once', ['webhook_id', 'event_id'])
          .execute()
        await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
          where delivered_at is null`.execute(db)
      },
    },
    '20261206-11-catalog-webhook-refusals': {
      // Delivery errors stored before said what a receiver's name resolved to (or that it did
      // not): reworded as stewards now read them, with nothing of the network in them.
      async up(db: Kysely<unknown>) {
        await sql`update webhook_deliveries set last_error = case
            when last_error like 'refused:%' or last_error like 'getaddrinfo%'
              then 'refused: the destination is not allowed'
            when last_error ilike '%timeout%' then 'no answer within 10 s'
            else 'the receiver could not be reached' end
          where last_error is not null and last_error not like 'HTTP %'`.execute(db)
      },
    },
    '20261224-53-notifications-dataset-follows': {
      // Who follows which dataset, and what happened to each dataset (its followers' last news).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('dataset_follows')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('dataset_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull())
          .addPrimaryKeyConstraint('dataset_follows_pk', ['user_id', 'dataset_id'])
          .execute()
        await db.schema
          .createIndex('dataset_follows_dataset')
          .on('dataset_follows')
          .column('dataset_id')
          .execute()
        await db.schema
          .createTable('dataset_events')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('dataset_id', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('link', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('dataset_events_latest')
          .on('dataset_events')
          .columns(['dataset_id', 'id'])
          .execute()
      },
    },
  },
}
