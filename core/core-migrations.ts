import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from './migrations.js'
import { ROLES } from './user.js'

/** Core's tables: who people are (agencies, users, sessions, API tokens) and the audit trail. */
export const coreMigrations: MigrationSet = {
  module: 'core',
  migrations: {
    '20261122-03-core-identity': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('agencies')
          .addColumn('code', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('ministry_family', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
          .addColumn('roles', sql`text[]`, (c) =>
            c
              .notNull()
              .check(sql.raw(`roles <@ array[${ROLES.map((r) => `'${r}'`).join(', ')}]::text[]`)),
          )
          .addColumn('oidc_issuer', 'text')
          .addColumn('oidc_subject', 'text')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('disabled_at', 'timestamptz')
          .addUniqueConstraint('users_oidc_identity', ['oidc_issuer', 'oidc_subject'])
          .execute()
        await db.schema
          .createTable('sessions')
          .addColumn('id_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('method', 'text', (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', sql`text[]`, (c) => c.notNull())
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
          .addColumn('last_used_at', 'timestamptz')
          .addColumn('revoked_at', 'timestamptz')
          .execute()
        await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute()
        await db.schema
          .createTable('auth_flows')
          .addColumn('state', 'text', (c) => c.primaryKey())
          .addColumn('code_verifier', 'text', (c) => c.notNull())
          .addColumn('nonce', 'text', (c) => c.notNull())
          .addColumn('return_to', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
          .execute()
      },
    },
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
    '20261122-20-core-processes': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('processes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('host', 'text', (c) => c.notNull())
          .addColumn('pid', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'timestamptz', (c) => c.notNull())
          .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
          .execute()
      },
    },
    '20261122-24-core-rate-limits': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('window_start', 'timestamptz', (c) => c.notNull())
          .addColumn('hits', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
          .execute()
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
