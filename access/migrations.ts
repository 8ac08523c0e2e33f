import { type Kysely, sql } from 'kysely'
import type { MigrationSet } from '../core/index.js'

/** The sharing workflow's tables: requests, their events and approvals, grants (cut from catalog). */
export const accessMigrations: MigrationSet = {
  module: 'access',
  formerly: 'catalog',
  migrations: {
    '20261122-12-catalog-access-requests': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('access_requests')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          // The owning agency when the request was made: whose stewards decide.
          .addColumn('agency', 'text', (c) => c.notNull())
          .addColumn('requester_id', 'text', (c) => c.notNull())
          .addColumn('requester', 'text', (c) => c.notNull())
          .addColumn('requester_agency', 'text', (c) => c.notNull())
          .addColumn('columns', 'jsonb') // null: every column
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('legal_basis', 'text', (c) => c.notNull())
          .addColumn('duration_days', 'integer', (c) => c.notNull())
          .addColumn('project', 'jsonb')
          .addColumn('cross_agency', 'boolean', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('approvals_needed', 'integer', (c) => c.notNull())
          .addColumn('question', 'text')
          .addColumn('decision_reason', 'text')
          .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
          .addColumn('decided_at', 'timestamptz')
          .addColumn('decision_working_days', 'integer')
          .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
          .addCheckConstraint(
            'access_requests_state',
            sql`state in ('submitted', 'needs-info', 'approved', 'rejected', 'withdrawn')`,
          )
          .execute()
        await db.schema
          .createIndex('access_requests_queue')
          .on('access_requests')
          .columns(['agency', 'state'])
          .execute()
        await db.schema
          .createIndex('access_requests_requester')
          .on('access_requests')
          .column('requester_id')
          .execute()
        await db.schema
          .createTable('access_request_events')
          .addColumn('id', 'bigserial', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
          .addColumn('at', 'timestamptz', (c) => c.notNull())
          .addColumn('actor_id', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('from_state', 'text')
          .addColumn('to_state', 'text', (c) => c.notNull())
          .addColumn('details', 'jsonb', (c) => c.notNull())
          .execute()
        await db.schema
          .createIndex('access_request_events_request')
          .on('access_request_events')
          .columns(['request_id', 'id'])
          .execute()
        // One row per steward: two approvals are two different people by construction.
        await db.schema
          .createTable('access_approvals')
          .addColumn('request_id', 'text', (c) => c.notNull().references('access_requests.id'))
          .addColumn('steward_id', 'text', (c) => c.notNull())
          .addColumn('steward', 'text', (c) => c.notNull())
          .addColumn('at', 'timestamptz', (c) => c.notNull())
          .addColumn('conditions', 'jsonb', (c) => c.notNull())
          .addPrimaryKeyConstraint('access_approvals_pk', ['request_id', 'steward_id'])
          .execute()
        // At most one grant per request, whatever races happen above it.
        await db.schema
          .createTable('grants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) =>
            c.notNull().unique().references('access_requests.id'),
          )
          .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
          .addColumn('agency', 'text', (c) => c.notNull())
          .addColumn('grantee_id', 'text', (c) => c.notNull())
          .addColumn('grantee', 'text', (c) => c.notNull())
          .addColumn('grantee_agency', 'text', (c) => c.notNull())
          .addColumn('columns', 'jsonb') // null: every column
          .addColumn('row_filter', 'jsonb', (c) => c.notNull())
          .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
          .addColumn('granted_by', 'jsonb', (c) => c.notNull())
          .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
          .addColumn('grant_working_days', 'integer', (c) => c.notNull())
          .addColumn('revoked_at', 'timestamptz')
          .addColumn('revoked_by', 'text')
          .addColumn('revoke_reason', 'text')
          .addCheckConstraint('grants_expire_later', sql`expires_at > granted_at`)
          .execute()
        await db.schema.createIndex('grants_grantee').on('grants').column('grantee_id').execute()
        await db.schema.createIndex('grants_dataset').on('grants').column('dataset_id').execute()
      },
    },
    '20261122-14-catalog-grants-in-clear': {
      // Direct identifiers are masked in every output unless the approval names them in clear.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('grants')
          .addColumn('in_clear', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
          .execute()
      },
    },
    '20261122-15-catalog-sharing-guards': {
      async up(db: Kysely<unknown>) {
        // One open request per person and dataset, even when two arrive at once.
        await sql`create unique index access_requests_one_open on access_requests (dataset_id, requester_id)
          where state in ('submitted', 'needs-info')`.execute(db)
        // Who holds a delivery right now: a result is recorded only by the claim that sent it.
        await db.schema.alterTable('webhook_deliveries').addColumn('claim_token', 'text').execute()
      },
    },
    '20261206-03-catalog-aggregate-grants': {
      // A request (and its grant) may be for aggregates only: answers pass output checks.
      async up(db: Kysely<unknown>) {
        for (const table of ['access_requests', 'grants'])
          await db.schema
            .alterTable(table)
            .addColumn('scope', 'text', (c) =>
              c.notNull().defaultTo('rows').check(sql`scope in ('rows', 'aggregates')`),
            )
            .execute()
      },
    },
    '20261215-04-access-grant-usage': {
      // What each grant was used for: queries and downloads by its grantee, and when last.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('grant_usage')
          .addColumn('grant_id', 'text', (c) => c.primaryKey().references('grants.id'))
          .addColumn('queries', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_used_at', 'timestamptz', (c) => c.notNull())
          .execute()
      },
    },
  },
}
