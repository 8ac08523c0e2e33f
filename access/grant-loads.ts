import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import { type ListPage, NotFoundError, pageBounds } from '../core/index.js'
import { type AppAbility, accessibleWhere, asSubject } from '../identity/index.js'
import type { Grant } from './access-request.js'
import type { AccessDb } from './access-tables.js'
import { containing } from './like-pattern.js'
import { toGrant } from './request-rows.js'

export interface GrantFilter extends ListPage {
  dataset?: string
  status?: Grant['status'][]
  /** Part of the grantee's username, in any case. */
  grantee?: string
  /** Only grants on datasets of this agency. */
  agency?: string
  /** Only grants in force that end within this many days of now, soonest first. */
  expiringWithinDays?: number
}

const DAY_MS = 86_400_000

/** Grants joined with what their readers show: the dataset's names, the request's purpose. */
export function grantQuery(db: AccessDb) {
  return db
    .selectFrom('grants as g')
    .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
    .innerJoin('access_requests as r', 'r.id', 'g.request_id')
    .leftJoin('grant_usage as u', 'u.grant_id', 'g.id')
    .selectAll('g')
    .select(['d.slug', 'd.title', 'r.purpose'])
    .select([
      'u.queries as usage_queries',
      'u.downloads as usage_downloads',
      'u.last_used_at as usage_last_used_at',
    ])
}

/** A grant's status as a condition on the `g` alias, at `now`. */
export function grantIs(status: Grant['status'], now: Date) {
  // biome-ignore lint/suspicious/noExplicitAny: used inside queries that alias grants as g
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    status === 'revoked'
      ? eb('g.revoked_at', 'is not', null)
      : eb.and([
          eb('g.revoked_at', 'is', null),
          eb('g.expires_at', status === 'active' ? '>' : '<=', now),
        ])
}

/** The person's live aggregate-only grant on the dataset, if any. */
export async function heldAggregates(
  db: AccessDb,
  of: { datasetId: string; granteeId: string; now: Date },
): Promise<{ id: string; expiresAt: Date } | undefined> {
  const held = await db
    .selectFrom('grants')
    .select(['id', 'expires_at'])
    .where('dataset_id', '=', of.datasetId)
    .where('grantee_id', '=', of.granteeId)
    .where('scope', '=', 'aggregates')
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', of.now)
    .executeTakeFirst()
  return held && { id: held.id, expiresAt: held.expires_at }
}

/** A grant the caller may read, under its row lock; not found otherwise. */
export async function lockGrant(
  trx: AccessDb,
  id: string,
  ability: AppAbility,
  now: Date,
): Promise<Grant> {
  const row = await grantQuery(trx).where('g.id', '=', id).forUpdate('g').executeTakeFirst()
  const subject = row && asSubject('Grant', { granteeId: row.grantee_id, agency: row.agency })
  if (!row || !subject || !ability.can('read', subject))
    throw new NotFoundError(`Grant '${id}' not found`)
  return toGrant(row, now)
}

/**
 * The grants the caller may read, newest first (soonest to end first when asked for those
 * expiring), a page of at most core's MAX_LISTED.
 */
export async function findGrants(
  db: AccessDb,
  filter: GrantFilter,
  ability: AppAbility,
  now: Date,
): Promise<Grant[]> {
  const expiring = filter.expiringWithinDays
  const page = pageBounds(filter)
  const rows = await grantQuery(db)
    .where(
      accessibleWhere(ability, 'read', 'Grant', {
        granteeId: 'g.grantee_id',
        agency: 'g.agency',
      }),
    )
    .$if(filter.dataset !== undefined, (qb) =>
      qb.where(
        (filter.dataset ?? '').startsWith('d_') ? 'd.id' : 'd.slug',
        '=',
        filter.dataset ?? '',
      ),
    )
    .$if(Boolean(filter.status?.length), (qb) =>
      qb.where((eb) => eb.or((filter.status ?? []).map((status) => grantIs(status, now)(eb)))),
    )
    .$if(Boolean(filter.grantee), (qb) =>
      qb.where('g.grantee', 'ilike', containing(filter.grantee ?? '')),
    )
    .$if(Boolean(filter.agency), (qb) => qb.where('g.agency', '=', filter.agency ?? ''))
    .$if(expiring !== undefined, (qb) =>
      qb
        .where(grantIs('active', now))
        .where('g.expires_at', '<=', new Date(now.getTime() + (expiring ?? 0) * DAY_MS))
        .orderBy('g.expires_at', 'asc'),
    )
    .orderBy('g.granted_at', 'desc')
    .orderBy('g.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map((r) => toGrant(r, now))
}
