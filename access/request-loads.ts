import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import { type ListPage, NotFoundError, pageBounds } from '../core/index.js'
import { type AppAbility, accessibleWhere, asSubject, type User } from '../identity/index.js'
import type { WorkingDayCalendar } from '../reference/index.js'
import type { AccessRequest } from './access-request.js'
import type { AccessDb } from './access-tables.js'
import type { DatasetColumns } from './dataset-columns.js'
import { grantIs, grantQuery } from './grant-loads.js'
import { containing } from './like-pattern.js'
import { toAccessRequest, toRequestUnderStep } from './request-rows.js'
import type { RequestStatus } from './request-states.js'
import type { RequestUnderStep } from './request-workflow.js'

/** A request the caller may read, under its row lock when asked; not found otherwise. */
export async function findVisibleRequest(
  db: AccessDb,
  id: string,
  ability: AppAbility,
  options: { lock: boolean },
) {
  const row = await db
    .selectFrom('access_requests')
    .innerJoin('datasets', 'datasets.id', 'access_requests.dataset_id')
    .selectAll('access_requests')
    .select(['datasets.title as dataset_title', 'datasets.sensitivity as dataset_sensitivity'])
    .where('access_requests.id', '=', id)
    .$if(options.lock, (qb) => qb.forUpdate('access_requests'))
    .executeTakeFirst()
  const subject =
    row && asSubject('AccessRequest', { requesterId: row.requester_id, agency: row.agency })
  // A request the caller may not see is reported as absent, not as forbidden.
  if (!row || !subject || !ability.can('read', subject))
    throw new NotFoundError(`Access request '${id}' not found`)
  return row
}

/**
 * A request under its row lock, with all its step may decide on: the dataset's columns, the
 * approvals and the history. Concurrent steps on one request run one by one.
 */
export async function lockRequest(
  trx: AccessDb,
  id: string,
  ability: AppAbility,
): Promise<RequestUnderStep> {
  const row = await findVisibleRequest(trx, id, ability, { lock: true })
  // One after another: the statements share the transaction's one connection.
  const approvals = await trx
    .selectFrom('access_approvals')
    .select(['steward_id', 'steward', 'at', 'conditions'])
    .where('request_id', '=', id)
    .orderBy('at')
    .execute()
  const events = await trx
    .selectFrom('access_request_events')
    .selectAll()
    .where('request_id', '=', id)
    .orderBy('id')
    .execute()
  const columns = await datasetColumns(trx, row.dataset_id)
  return toRequestUnderStep(row, { approvals, events, columns })
}

/** A dataset's columns, and which of them are direct identifiers. */
export async function datasetColumns(db: AccessDb, datasetId: string): Promise<DatasetColumns> {
  const rows = await db
    .selectFrom('dataset_columns')
    .select(['name', 'personal_data'])
    .where('dataset_id', '=', datasetId)
    .execute()
  return {
    names: rows.map((c) => c.name),
    directIdentifiers: rows
      .filter((c) => c.personal_data === 'direct-identifier')
      .map((c) => c.name),
  }
}

/** Requests by id, with their dataset, approvals, grant, history and clock, in the given order. */
export async function loadRequests(
  db: AccessDb,
  ids: string[],
  calendar: WorkingDayCalendar,
  now: Date,
): Promise<AccessRequest[]> {
  if (ids.length === 0) return []
  const [rows, events, approvals, grants] = await Promise.all([
    db
      .selectFrom('access_requests as r')
      .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
      .selectAll('r')
      .select(['d.slug', 'd.title', 'd.security_classification', 'd.sensitivity'])
      .where('r.id', 'in', ids)
      .execute(),
    db
      .selectFrom('access_request_events')
      .selectAll()
      .where('request_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('access_approvals')
      .select(['request_id', 'steward', 'at'])
      .where('request_id', 'in', ids)
      .orderBy('at')
      .execute(),
    grantQuery(db).where('g.request_id', 'in', ids).execute(),
  ])
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const row = byId.get(id)
    if (!row) return []
    const related = {
      events: events.filter((e) => e.request_id === id),
      approvals: approvals.filter((a) => a.request_id === id),
      grant: grants.find((g) => g.request_id === id),
    }
    return [toAccessRequest(row, related, calendar, now)]
  })
}

/** A dataset by slug or id that the caller may read; not found otherwise. */
export async function findVisibleDataset(db: AccessDb, slugOrId: string, ability: AppAbility) {
  const dataset = await db
    .selectFrom('datasets')
    .select(['id', 'slug', 'title', 'agency', 'security_classification as security', 'sensitivity'])
    .where(slugOrId.startsWith('d_') ? 'id' : 'slug', '=', slugOrId)
    .where(
      accessibleWhere(ability, 'read', 'Dataset', {
        agency: 'agency',
        security: 'security_classification',
        sensitivity: 'sensitivity',
      }),
    )
    .executeTakeFirst()
  if (!dataset) throw new NotFoundError(`Dataset '${slugOrId}' not found`)
  return dataset
}

/** The person's request for the dataset still open (submitted or asked for information), if any. */
export async function openRequest(
  db: AccessDb,
  of: { datasetId: string; requesterId: string },
): Promise<{ id: string; submittedAt: Date } | undefined> {
  const open = await db
    .selectFrom('access_requests')
    .select(['id', 'submitted_at'])
    .where('dataset_id', '=', of.datasetId)
    .where('requester_id', '=', of.requesterId)
    .where('state', 'in', ['submitted', 'needs-info'])
    .executeTakeFirst()
  return open && { id: open.id, submittedAt: open.submitted_at }
}

/** The statuses a list may ask for: a request's own, or waiting for its second approval. */
export type RequestListStatus = RequestStatus | 'awaiting-second-approval'

export interface RequestFilter extends ListPage {
  status?: RequestListStatus[]
  dataset?: string
  /** Only the caller's own requests. */
  mine?: boolean
  /** Part of the requester's username, in any case. */
  requester?: string
  /** Only requests for datasets of this agency. */
  agency?: string
}

/** Ids of the requests the caller may read, newest first, a page of at most core's MAX_LISTED. */
export async function findRequestIds(
  db: AccessDb,
  filter: RequestFilter,
  caller: User,
  ability: AppAbility,
  now: Date,
): Promise<string[]> {
  const page = pageBounds(filter)
  const rows = await db
    .selectFrom('access_requests as r')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .select('r.id')
    .where(
      accessibleWhere(ability, 'read', 'AccessRequest', {
        requesterId: 'r.requester_id',
        agency: 'r.agency',
      }),
    )
    .$if(Boolean(filter.mine), (qb) => qb.where('r.requester_id', '=', caller.id))
    .$if(Boolean(filter.status?.length), (qb) =>
      qb.where((eb) => eb.or((filter.status ?? []).map((status) => statusIs(status, now)(eb)))),
    )
    .$if(filter.dataset !== undefined, (qb) =>
      qb.where(
        (filter.dataset ?? '').startsWith('d_') ? 'd.id' : 'd.slug',
        '=',
        filter.dataset ?? '',
      ),
    )
    .$if(Boolean(filter.requester), (qb) =>
      qb.where('r.requester', 'ilike', containing(filter.requester ?? '')),
    )
    .$if(Boolean(filter.agency), (qb) => qb.where('r.agency', '=', filter.agency ?? ''))
    .orderBy('r.submitted_at', 'desc')
    .orderBy('r.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
  return rows.map((r) => r.id)
}

/** A listed status as a condition on the `r` alias (requests), at `now`. */
function statusIs(status: RequestListStatus, now: Date) {
  // biome-ignore lint/suspicious/noExplicitAny: used inside queries that alias requests as r
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => {
    if (status === 'awaiting-second-approval') {
      // Approved by some stewards, not yet by as many as the dataset needs (Sensitive-High: 2).
      const approvals = eb
        .selectFrom('access_approvals as a')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.request_id', '=', 'r.id')
      return eb.and([
        eb('r.state', '=', 'submitted'),
        eb(approvals, '>=', 1),
        eb(approvals, '<', eb.ref('r.approvals_needed')),
      ])
    }
    if (status === 'active' || status === 'expired' || status === 'revoked')
      return eb.and([
        eb('r.state', '=', 'approved'),
        eb.exists(
          eb
            .selectFrom('grants as g')
            .select('g.id')
            .whereRef('g.request_id', '=', 'r.id')
            .where(grantIs(status, now)),
        ),
      ])
    return eb('r.state', '=', status)
  }
}
