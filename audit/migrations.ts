import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** The hash-chained audit trail (cut from core). */
export const auditMigrations: MigrationSet = {
  module: 'audit',
  formerly: 'core',
  migrations: {
    '20261122-04-core-audit': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('audit_log')
          .addColumn('seq', 'bigint', (c) => c.primaryKey())
          .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
          .addColumn('actor_id', 'text')
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('subject_type', 'text')
          .addColumn('subject_id', 'text')
          .addColumn('details', 'jsonb', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .execute()
        await db.schema
          .createIndex('audit_log_actor')
          .on('audit_log')
          .columns(['actor_id', 'seq'])
          .execute()
        // The product only ever appends; an UPDATE, DELETE or TRUNCATE through it fails outright.
        // Someone with owner rights can still bypass this, which is what verification is for.
        await sql`
          create function audit_log_append_only() returns trigger language plpgsql as $$
          begin raise exception 'audit_log is append-only: % refused', tg_op; end $$`.execute(db)
        await sql`
          create trigger audit_log_no_change before update or delete on audit_log
          for each row execute function audit_log_append_only()`.execute(db)
        await sql`
          create trigger audit_log_no_truncate before truncate on audit_log
          for each statement execute function audit_log_append_only()`.execute(db)
      },
    },
    // Entries are keyed from now on (HMAC under AUDIT_KEY); earlier ones keep a null key id.
    '20261206-10-core-audit-key': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute()
        // The chain starts at 1: no row can be put before it, where a walk might not look.
        await db.schema
          .alterTable('audit_log')
          .addCheckConstraint('audit_log_seq_from_one', sql`seq >= 1`)
          .execute()
      },
    },
  },
}
