import type { Kysely } from 'kysely'
import type { IdentityTables } from '../identity/index.js'
import { announce } from '../notifications/index.js'
import { singaporeDay, type WorkingDayCalendar } from '../reference/index.js'
import type { AccessTables } from './access-tables.js'
import { dayInWords } from './grant-terms.js'

type Db = Kysely<AccessTables & Pick<IdentityTables, 'users'>>

/** Grantees are told this many working days before their access ends. */
export const EXPIRY_NOTICE_WORKING_DAYS = 5

/**
 * Tells each grantee whose access ends within five working days, once. Safe to run as often as
 * wanted (the server runs it every minute); grants themselves expire without it.
 */
export async function remindExpiringGrants(
  db: Db,
  calendar: WorkingDayCalendar,
  now: Date,
): Promise<number> {
  const horizon = calendar.addWorkingDays(singaporeDay(now), EXPIRY_NOTICE_WORKING_DAYS)
  // Anything ending before the day after the horizon, in Singapore (UTC+8).
  const before = new Date(Date.parse(`${horizon}T00:00:00+08:00`) + 86_400_000)
  const grants = await db
    .selectFrom('grants as g')
    .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
    .select([
      'g.id',
      'g.request_id',
      'g.agency',
      'g.grantee_id',
      'g.grantee_agency',
      'g.expires_at',
    ])
    .select(['d.slug', 'd.title'])
    .where('g.revoked_at', 'is', null)
    .where('g.expires_at', '>', now)
    .where('g.expires_at', '<', before)
    .execute()
  let told = 0
  for (const g of grants) {
    const sent = await db.transaction().execute((trx: Db) =>
      announce(
        trx,
        {
          kind: 'grant.expiring',
          request: {
            id: g.request_id,
            agency: g.agency,
            requesterId: g.grantee_id,
            requesterAgency: g.grantee_agency,
          },
          to: 'requester',
          actorId: 'system',
          title: `Your access to ${g.title} ends on ${dayInWords(g.expires_at)}`,
          body: 'Request again before then if the project needs the data for longer.',
          link: `/requests/${g.request_id}`,
          details: { grant: { id: g.id, dataset: g.slug, expiresAt: g.expires_at.toISOString() } },
          onceKey: `grant.expiring:${g.id}`,
        },
        now,
      ),
    )
    if (sent) told++
  }
  return told
}
