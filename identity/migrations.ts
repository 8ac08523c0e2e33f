import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'
import { ROLES } from './user.js'

/** Who people are: agencies, users, sessions, API tokens and sign-in flows (cut from core). */
export const identityMigrations: MigrationSet = {
  module: 'identity',
  formerly: 'core',
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
  },
}
