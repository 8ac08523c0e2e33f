import { randomBytes } from 'node:crypto'
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
} from 'kysely'
import type { AuditLog } from '../audit/index.js'
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../core/index.js'
import {
  type AppAbility,
  accessibleWhere,
  asSubject,
  type IdentityTables,
  type User,
} from '../identity/index.js'
import { announce, type NotificationKind } from '../notifications/index.js'
import { singaporeDay, type WorkingDayCalendar } from '../reference/index.js'
import {
  type AccessRequest,
  type ApprovalConditions,
  approvalsNeeded,
  type Grant,
  grantStatus,
  type RequestInput,
  type RowCondition,
} from './access-request.js'
import type { AccessRequestRow, AccessTables, GrantRow } from './access-tables.js'
import {
  ACTION_BY,
  nextState,
  type RequestAction,
  type RequestState,
  type RequestStatus,
} from './request-states.js'
import { serviceLevel } from './service-level.js'

/** What a step may carry: an approval's conditions, a reason, a question, an answer. */
export interface ActionInput extends ApprovalConditions {
  reason?: string
  question?: string
  answer?: string
  /** On resubmit: a request corrected as asked. */
  changes?: Partial<Pick<RequestInput, 'columns' | 'purpose' | 'legalBasis' | 'durationDays'>>
}

export interface RequestFilter {
  status?: RequestStatus[]
  dataset?: string
  /** Only the caller's own requests. */
  mine?: boolean
}

export interface GrantFilter {
  dataset?: string
  status?: Grant['status'][]
}

export interface AccessStore {
  submit(
    input: RequestInput,
    requester: User,
    ability: AppAbility,
    now: Date,
    requestId?: string,
  ): Promise<AccessRequest>
  list(
    filter: RequestFilter,
    caller: User,
    ability: AppAbility,
    now: Date,
  ): Promise<AccessRequest[]>
  get(id: string, ability: AppAbility, now: Date): Promise<AccessRequest>
  /** One step of the workflow, under a row lock: concurrent steps on one request run one by one. */
  act(
    id: string,
    action: RequestAction,
    input: ActionInput,
    actor: User,
    ability: AppAbility,
    now: Date,
    requestId?: string,
  ): Promise<AccessRequest>
  listGrants(filter: GrantFilter, ability: AppAbility, now: Date): Promise<Grant[]>
  revokeGrant(
    id: string,
    reason: string,
    actor: User,
    ability: AppAbility,
    now: Date,
    requestId?: string,
  ): Promise<Grant>
}

type Db = Kysely<AccessTables & Pick<IdentityTables, 'users'>>
const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`
const DAY_MS = 86_400_000

/**
 * The workflow's store. With `audit`, every step's audit entry is appended inside the step's own
 * transaction: a step is on the hash-chained record if and only if it happened.
 */
export function createAccessStore(
  db: Db,
  calendar: WorkingDayCalendar,
  audit?: Pick<AuditLog, 'append'>,
): AccessStore {
  const record = async (
    trx: Db,
    actor: User,
    action: string,
    subject: { type: string; id: string },
    details: Record<string, unknown>,
    now: Date,
    requestId: string | undefined,
  ) => {
    await audit?.append(
      {
        actor: { id: actor.id, name: actor.username },
        action,
        outcome: 'succeeded',
        subject,
        details,
        ...(requestId && { requestId }),
      },
      now,
      trx as Kysely<unknown>,
    )
  }

  const load = (executor: Db, ids: string[], now: Date) =>
    loadRequests(executor, ids, calendar, now)

  async function findVisible(executor: Db, id: string, ability: AppAbility, lock = false) {
    const row = await executor
      .selectFrom('access_requests')
      .innerJoin('datasets', 'datasets.id', 'access_requests.dataset_id')
      .selectAll('access_requests')
      .select('datasets.title as dataset_title')
      .where('access_requests.id', '=', id)
      .$if(lock, (qb) => qb.forUpdate('access_requests'))
      .executeTakeFirst()
    const subject = row && asSubject('AccessRequest', requestSubject(row))
    // A request the caller may not see is reported as absent, not as forbidden.
    if (!row || !subject || !ability.can('read', subject))
      throw new NotFoundError(`Access request '${id}' not found`)
    return row
  }

  return {
    async submit(input, requester, ability, now, requestId) {
      const dataset = await db
        .selectFrom('datasets')
        .select(['id', 'slug', 'title', 'agency', 'security_classification', 'sensitivity'])
        .where(input.dataset.startsWith('d_') ? 'id' : 'slug', '=', input.dataset)
        .where(
          accessibleWhere(ability, 'read', 'Dataset', {
            agency: 'agency',
            security: 'security_classification',
            sensitivity: 'sensitivity',
          }),
        )
        .executeTakeFirst()
      if (!dataset) throw new NotFoundError(`Dataset '${input.dataset}' not found`)
      if (!ability.can('create', 'AccessRequest'))
        throw new ForbiddenError('You may not request access to data')
      if (dataset.security_classification === 'official-open')
        throw new ConflictError(
          `'${dataset.slug}' is Official (Open): everyone may download it in full, no request needed`,
        )
      if (input.columns) await assertColumns(db, dataset.id, input.columns)
      // Output checks compare a person's aggregate answers over one view: a second one, filtered
      // otherwise, would let two answers differ unseen.
      if (input.scope === 'aggregates') {
        const held = await db
          .selectFrom('grants')
          .select(['id', 'expires_at'])
          .where('dataset_id', '=', dataset.id)
          .where('grantee_id', '=', requester.id)
          .where('scope', '=', 'aggregates')
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst()
        if (held)
          throw new ConflictError(
            `You already hold aggregate-only access to '${dataset.slug}' (${held.id}, until ${held.expires_at.toISOString().slice(0, 10)}): one at a time`,
          )
      }
      const open = await db
        .selectFrom('access_requests')
        .select('id')
        .where('dataset_id', '=', dataset.id)
        .where('requester_id', '=', requester.id)
        .where('state', 'in', ['submitted', 'needs-info'])
        .executeTakeFirst()
      if (open)
        throw new ConflictError(
          `You already have an open request for '${dataset.slug}' (${open.id}): change it or withdraw it first`,
        )
      const partners = input.project?.partnerAgencies ?? []
      const id = newId('r')
      const row = {
        id,
        dataset_id: dataset.id,
        agency: dataset.agency,
        requester_id: requester.id,
        requester: requester.username,
        requester_agency: requester.agency.code,
        columns: input.columns ? JSON.stringify(input.columns) : null,
        scope: input.scope ?? 'rows',
        purpose: input.purpose,
        legal_basis: input.legalBasis,
        duration_days: input.durationDays,
        project: input.project
          ? JSON.stringify({ name: input.project.name, partnerAgencies: partners })
          : null,
        cross_agency:
          requester.agency.code !== dataset.agency || partners.some((p) => p !== dataset.agency),
        state: 'submitted',
        approvals_needed: approvalsNeeded(dataset.sensitivity, input.scope ?? 'rows'),
        submitted_at: now,
        updated_at: now,
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('access_requests')
          .values(row)
          .execute()
          .catch((error: unknown) => {
            // Lost a race with the same person's other submission (access_requests_one_open).
            if ((error as { code?: string }).code === '23505')
              throw new ConflictError(
                `You already have an open request for '${dataset.slug}': change it or withdraw it first`,
              )
            throw error
          })
        await recordEvent(trx, id, now, requester, 'submit', undefined, 'submitted', {})
        await tell(trx, { ...row, dataset_title: dataset.title }, now, requester, {
          kind: 'request.submitted',
          to: 'stewards',
          title: `${requester.username} (${requester.agency.code}) requests ${dataset.title}`,
          body: input.purpose,
        })
        await record(
          trx,
          requester,
          'request.submit',
          { type: 'AccessRequest', id },
          {
            dataset: dataset.slug,
            columns: input.columns ?? 'all',
            scope: row.scope,
            crossAgency: row.cross_agency,
          },
          now,
          requestId,
        )
      })
      const [request] = await load(db, [id], now)
      if (!request) throw new Error(`Request ${id} vanished after it was written`)
      return request
    },

    async list(filter, caller, ability, now) {
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
          qb.where((eb) =>
            eb.or(
              (filter.status ?? []).map((status) =>
                status === 'active' || status === 'expired' || status === 'revoked'
                  ? eb.and([
                      eb('r.state', '=', 'approved'),
                      eb.exists(
                        eb
                          .selectFrom('grants as g')
                          .select('g.id')
                          .whereRef('g.request_id', '=', 'r.id')
                          .where(grantIs(status, now)),
                      ),
                    ])
                  : eb('r.state', '=', status),
              ),
            ),
          ),
        )
        .$if(filter.dataset !== undefined, (qb) =>
          qb.where(
            (filter.dataset ?? '').startsWith('d_') ? 'd.id' : 'd.slug',
            '=',
            filter.dataset ?? '',
          ),
        )
        .orderBy('r.submitted_at', 'desc')
        .limit(1_000)
        .execute()
      const requests = await load(
        db,
        rows.map((r) => r.id),
        now,
      )
      return requests
    },

    async get(id, ability, now) {
      await findVisible(db, id, ability)
      const [request] = await load(db, [id], now)
      if (!request) throw new NotFoundError(`Access request '${id}' not found`)
      return request
    },

    async act(id, action, input, actor, ability, now, requestId) {
      await db.transaction().execute(async (trx) => {
        const row = await findVisible(trx, id, ability, true)
        const subject = asSubject('AccessRequest', requestSubject(row))
        if (ACTION_BY[action] === 'steward') {
          if (!ability.can('decide', subject))
            throw new ForbiddenError(
              `Only stewards of ${row.agency}, which owns the dataset, may ${action} this request`,
            )
          if (row.requester_id === actor.id)
            throw new ForbiddenError('Nobody decides on their own request: another steward must')
        } else if (row.requester_id !== actor.id) {
          throw new ForbiddenError(`Only ${row.requester}, who made the request, may ${action} it`)
        }
        const from = row.state as RequestState
        const to = nextState(from, action)
        const steps: Record<RequestAction, () => Promise<void>> = {
          approve: () => approve(trx, row, input, actor, now, calendar),
          reject: async () => {
            const reason = required(input.reason, 'reason', 'say why the request is rejected')
            await decide(trx, row, to, { decision_reason: reason }, now, calendar)
            await recordEvent(trx, id, now, actor, action, from, to, { reason })
            await tell(trx, row, now, actor, {
              kind: 'request.rejected',
              to: 'requester',
              title: `Your request for ${row.dataset_title} was not approved`,
              body: reason,
            })
          },
          'ask-info': async () => {
            const question = required(input.question, 'question', 'say what information is needed')
            await update(trx, id, { state: to, question }, now)
            await recordEvent(trx, id, now, actor, action, from, to, { question })
            await tell(trx, row, now, actor, {
              kind: 'request.info-requested',
              to: 'requester',
              title: `A steward asks about your request for ${row.dataset_title}`,
              body: question,
            })
          },
          resubmit: async () => {
            const answer = required(input.answer, 'answer', "answer the steward's question")
            const changes = input.changes ?? {}
            if (changes.columns) await assertColumns(trx, row.dataset_id, changes.columns)
            await update(
              trx,
              id,
              {
                state: to,
                ...(changes.columns && { columns: JSON.stringify(changes.columns) }),
                ...(changes.purpose && { purpose: changes.purpose }),
                ...(changes.legalBasis && { legal_basis: changes.legalBasis }),
                ...(changes.durationDays && { duration_days: changes.durationDays }),
              },
              now,
            )
            // A changed request is a new question: earlier approvals do not carry over.
            await trx.deleteFrom('access_approvals').where('request_id', '=', id).execute()
            await recordEvent(trx, id, now, actor, action, from, to, {
              answer,
              changed: Object.keys(changes),
            })
            await tell(trx, row, now, actor, {
              kind: 'request.resubmitted',
              to: 'stewards',
              title: `${row.requester} answered about ${row.dataset_title}`,
              body: answer,
            })
          },
          withdraw: async () => {
            await update(trx, id, { state: to }, now)
            await recordEvent(trx, id, now, actor, action, from, to, {})
            await tell(trx, row, now, actor, {
              kind: 'request.withdrawn',
              to: 'stewards',
              title: `${row.requester} withdrew the request for ${row.dataset_title}`,
              body: input.reason ?? '',
            })
          },
        }
        await steps[action]()
        const after = await trx
          .selectFrom('access_requests as r')
          .leftJoin('grants as g', 'g.request_id', 'r.id')
          .select(['r.state', 'g.id as grant'])
          .where('r.id', '=', id)
          .executeTakeFirst()
        await record(
          trx,
          actor,
          `request.${action}`,
          { type: 'AccessRequest', id },
          {
            dataset: row.dataset_id,
            from,
            state: after?.state,
            ...(action === 'approve' && after?.grant && { grant: after.grant }),
          },
          now,
          requestId,
        )
      })
      const [request] = await load(db, [id], now)
      if (!request) throw new NotFoundError(`Access request '${id}' not found`)
      return request
    },

    async listGrants(filter, ability, now) {
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
        .orderBy('g.granted_at', 'desc')
        .limit(1_000)
        .execute()
      const grants = rows.map((r) => toGrant(r, now))
      return grants
    },

    async revokeGrant(id, reason, actor, ability, now, requestId) {
      await db.transaction().execute(async (trx) => {
        const grant = await trx
          .selectFrom('grants')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        const subject =
          grant && asSubject('Grant', { granteeId: grant.grantee_id, agency: grant.agency })
        if (!grant || !subject || !ability.can('read', subject))
          throw new NotFoundError(`Grant '${id}' not found`)
        if (!ability.can('revoke', subject))
          throw new ForbiddenError(
            `Only stewards of ${grant.agency}, which owns the dataset, may revoke this grant`,
          )
        const status = grantStatus(
          { expiresAt: grant.expires_at, revoked: grant.revoked_at ?? undefined },
          now,
        )
        if (status !== 'active')
          throw new ConflictError(`Cannot revoke a grant that is ${status}: it gives no access now`)
        await trx
          .updateTable('grants')
          .set({ revoked_at: now, revoked_by: actor.username, revoke_reason: reason })
          .where('id', '=', id)
          .execute()
        await recordEvent(trx, grant.request_id, now, actor, 'revoke', 'approved', 'approved', {
          grant: id,
          reason,
        })
        const dataset = await trx
          .selectFrom('datasets')
          .select('title')
          .where('id', '=', grant.dataset_id)
          .executeTakeFirstOrThrow()
        await tell(
          trx,
          {
            id: grant.request_id,
            agency: grant.agency,
            dataset_id: grant.dataset_id,
            dataset_title: dataset.title,
            requester_id: grant.grantee_id,
            requester: grant.grantee,
            requester_agency: grant.grantee_agency,
          },
          now,
          actor,
          {
            kind: 'grant.revoked',
            to: 'requester',
            title: `Your access to ${dataset.title} was revoked`,
            body: reason,
          },
        )
        await record(
          trx,
          actor,
          'grant.revoke',
          { type: 'Grant', id },
          { dataset: grant.dataset_id, grantee: grant.grantee, reason },
          now,
          requestId,
        )
      })
      const [row] = await grantQuery(db).where('g.id', '=', id).execute()
      if (!row) throw new NotFoundError(`Grant '${id}' not found`)
      return toGrant(row, now)
    },
  }
}

/** A request as its steps read it: the row, with its dataset's title for messages. */
type RequestRow = Selectable<AccessRequestRow> & { dataset_title: string }

/** Tells the people and systems concerned of one step (see announce). */
async function tell(
  trx: Db,
  row: Pick<
    RequestRow,
    | 'id'
    | 'agency'
    | 'dataset_id'
    | 'dataset_title'
    | 'requester_id'
    | 'requester'
    | 'requester_agency'
  >,
  now: Date,
  actor: User,
  message: { kind: NotificationKind; to: 'stewards' | 'requester'; title: string; body: string },
) {
  await announce(
    trx,
    {
      ...message,
      request: {
        id: row.id,
        agency: row.agency,
        requesterId: row.requester_id,
        requesterAgency: row.requester_agency,
      },
      actorId: actor.id,
      link: `/requests/${row.id}`,
      details: {
        dataset: row.dataset_id,
        requester: { username: row.requester, agency: row.requester_agency },
        by: actor.username,
      },
    },
    now,
  )
}

/** A grant's status as a condition on the `g` alias, at `now`. */
function grantIs(status: Grant['status'], now: Date) {
  // biome-ignore lint/suspicious/noExplicitAny: used inside queries that alias grants as g
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> =>
    status === 'revoked'
      ? eb('g.revoked_at', 'is not', null)
      : eb.and([
          eb('g.revoked_at', 'is', null),
          eb('g.expires_at', status === 'active' ? '>' : '<=', now),
        ])
}

function requestSubject(row: Pick<AccessRequestRow, 'requester_id' | 'agency'>) {
  return { requesterId: row.requester_id, agency: row.agency }
}

function required(value: string | undefined, field: string, hint: string): string {
  if (!value?.trim()) throw new InvalidInputError(`${field}: ${hint}`)
  return value.trim()
}

async function update(
  trx: Db,
  id: string,
  values: Partial<Record<keyof AccessRequestRow, unknown>>,
  now: Date,
) {
  await trx
    .updateTable('access_requests')
    .set({ ...values, updated_at: now } as never)
    .where('id', '=', id)
    .execute()
}

/** Closes a request with a decision, recording how many working days it took. */
async function decide(
  trx: Db,
  row: RequestRow,
  to: RequestState,
  values: Partial<Record<keyof AccessRequestRow, unknown>>,
  now: Date,
  calendar: WorkingDayCalendar,
): Promise<number> {
  const history = await trx
    .selectFrom('access_request_events')
    .select(['at', 'to_state'])
    .where('request_id', '=', row.id)
    // Steps that leave the state as it was (a first of two approvals, a revocation) move no clock.
    .where((eb) =>
      eb.or([eb('from_state', 'is', null), eb('from_state', '!=', eb.ref('to_state'))]),
    )
    .orderBy('id')
    .execute()
  const clock = serviceLevel(
    [...history.map((h) => ({ at: h.at, to: h.to_state as RequestState })), { at: now, to }],
    calendar,
    now,
  )
  const days = clock.decisionWorkingDays ?? 0
  await update(
    trx,
    row.id,
    { state: to, decided_at: now, decision_working_days: days, ...values },
    now,
  )
  return days
}

async function recordEvent(
  trx: Db,
  requestId: string,
  at: Date,
  actor: User,
  action: string,
  from: RequestState | undefined,
  to: RequestState,
  details: Record<string, unknown>,
) {
  await trx
    .insertInto('access_request_events')
    .values({
      request_id: requestId,
      at,
      actor_id: actor.id,
      actor: actor.username,
      action,
      from_state: from ?? null,
      to_state: to,
      details: JSON.stringify(details),
    })
    .execute()
}

/** Every column must exist in the dataset; the message names those that do not. */
async function assertColumns(db: Db, datasetId: string, columns: string[]) {
  const known = new Set(
    (
      await db
        .selectFrom('dataset_columns')
        .select('name')
        .where('dataset_id', '=', datasetId)
        .execute()
    ).map((c) => c.name),
  )
  const unknown = columns.filter((c) => !known.has(c))
  if (unknown.length > 0)
    throw new InvalidInputError(
      `columns: no column ${unknown.map((c) => `'${c}'`).join(', ')} in this dataset (it has ${[...known].join(', ')})`,
    )
}

/** Columns shown in clear must be the dataset's direct identifiers (others are never masked). */
async function assertDirectIdentifiers(db: Db, datasetId: string, columns: string[]) {
  const direct = new Set(
    (
      await db
        .selectFrom('dataset_columns')
        .select('name')
        .where('dataset_id', '=', datasetId)
        .where('personal_data', '=', 'direct-identifier')
        .execute()
    ).map((c) => c.name),
  )
  const other = columns.filter((c) => !direct.has(c))
  if (other.length > 0)
    throw new InvalidInputError(
      `inClear: ${other.map((c) => `'${c}'`).join(', ')} ${other.length === 1 ? 'is' : 'are'} not a direct identifier of this dataset (${[...direct].join(', ') || 'it has none'})`,
    )
}

/**
 * A steward's approval. One is enough unless the data is Sensitive-High, which needs two by
 * different stewards; the grant then takes the narrowest of their conditions.
 */
async function approve(
  trx: Db,
  row: RequestRow,
  input: ActionInput,
  actor: User,
  now: Date,
  calendar: WorkingDayCalendar,
) {
  const requested = row.columns ?? undefined
  if (input.columns) {
    await assertColumns(trx, row.dataset_id, input.columns)
    const outside = requested ? input.columns.filter((c) => !requested.includes(c)) : []
    if (outside.length > 0)
      throw new InvalidInputError(
        `columns: ${outside.map((c) => `'${c}'`).join(', ')} were not requested; approve a subset of ${requested?.join(', ')}`,
      )
  }
  if (input.inClear?.length) await assertDirectIdentifiers(trx, row.dataset_id, input.inClear)
  if (input.rowFilter?.length)
    await assertColumns(
      trx,
      row.dataset_id,
      input.rowFilter.map((r) => r.column),
    )
  const latest = new Date(now.getTime() + row.duration_days * DAY_MS)
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime())
    throw new InvalidInputError('expiresAt: must be in the future')
  if (input.expiresAt && input.expiresAt.getTime() > latest.getTime())
    throw new InvalidInputError(
      `expiresAt: at most the ${row.duration_days} days requested, i.e. no later than ${latest.toISOString()}`,
    )
  const conditions = {
    ...(input.columns && { columns: input.columns }),
    ...(input.rowFilter?.length && { rowFilter: input.rowFilter }),
    ...(input.inClear?.length && { inClear: input.inClear }),
    expiresAt: (input.expiresAt ?? latest).toISOString(),
  }
  // An earlier approval whose end date has passed no longer counts: it is dropped, and said so.
  const lapsed = await trx
    .deleteFrom('access_approvals')
    .where('request_id', '=', row.id)
    .where(sql<SqlBool>`(conditions->>'expiresAt')::timestamptz <= ${now}`)
    .returning('steward')
    .execute()
  // Rules as they stand now: data reclassified Sensitive-High since the request needs two.
  const current = await trx
    .selectFrom('datasets')
    .select('sensitivity')
    .where('id', '=', row.dataset_id)
    .executeTakeFirstOrThrow()
  const needed = Math.max(row.approvals_needed, approvalsNeeded(current.sensitivity, row.scope))
  if (needed !== row.approvals_needed) await update(trx, row.id, { approvals_needed: needed }, now)
  const inserted = await trx
    .insertInto('access_approvals')
    .values({
      request_id: row.id,
      steward_id: actor.id,
      steward: actor.username,
      at: now,
      conditions: JSON.stringify(conditions),
    })
    .onConflict((oc) => oc.columns(['request_id', 'steward_id']).doNothing())
    .returning('steward_id')
    .executeTakeFirst()
  if (!inserted)
    throw new ConflictError(
      'You have already approved this request: it needs the approval of a different steward',
    )
  const approvals = await trx
    .selectFrom('access_approvals')
    .select(['steward', 'conditions'])
    .where('request_id', '=', row.id)
    .orderBy('at')
    .execute()
  if (approvals.length < needed) {
    await recordEvent(trx, row.id, now, actor, 'approve', 'submitted', 'submitted', {
      ...conditions,
      approvals: approvals.length,
      needed,
      ...(lapsed.length > 0 && { lapsed: lapsed.map((l) => l.steward) }),
    })
    return
  }
  const all = approvals.map(
    (a) =>
      a.conditions as {
        columns?: string[]
        rowFilter?: RowCondition[]
        inClear?: string[]
        expiresAt: string
      },
  )
  // In clear only what every approver agreed to show in clear.
  const inClear = all.reduce<string[]>(
    (shared, c, i) => (i === 0 ? (c.inClear ?? []) : shared.filter((x) => c.inClear?.includes(x))),
    [],
  )
  let columns = requested
  for (const c of all)
    if (c.columns) columns = columns ? columns.filter((x) => c.columns?.includes(x)) : c.columns
  if (columns?.length === 0)
    throw new ConflictError(
      'The approvals share no column: approve with columns that overlap the first approval, or reject',
    )
  const expiresAt = new Date(Math.min(...all.map((c) => Date.parse(c.expiresAt))))
  const days = await decide(trx, row, 'approved', { question: null }, now, calendar)
  await trx
    .insertInto('grants')
    .values({
      id: newId('g'),
      request_id: row.id,
      dataset_id: row.dataset_id,
      agency: row.agency,
      grantee_id: row.requester_id,
      grantee: row.requester,
      grantee_agency: row.requester_agency,
      columns: columns ? JSON.stringify(columns) : null,
      row_filter: JSON.stringify(all.flatMap((c) => c.rowFilter ?? [])),
      in_clear: JSON.stringify(inClear),
      scope: row.scope,
      granted_at: now,
      granted_by: JSON.stringify(approvals.map((a) => a.steward)),
      expires_at: expiresAt,
      grant_working_days: days,
    })
    .execute()
  await recordEvent(trx, row.id, now, actor, 'approve', 'submitted', 'approved', {
    ...conditions,
    approvals: approvals.length,
    needed,
  })
  await tell(trx, row, now, actor, {
    kind: 'request.approved',
    to: 'requester',
    title: `Your request for ${row.dataset_title} is approved`,
    body: `Access until ${singaporeDay(expiresAt)}${columns ? `, columns ${columns.join(', ')}` : ''}.`,
  })
}

function grantQuery(db: Db) {
  return db
    .selectFrom('grants as g')
    .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
    .innerJoin('access_requests as r', 'r.id', 'g.request_id')
    .selectAll('g')
    .select(['d.slug', 'd.title', 'r.purpose'])
}

type GrantJoined = Selectable<GrantRow> & { slug: string; title: string; purpose: string }

function toGrant(row: GrantJoined, now: Date): Grant {
  const revoked =
    row.revoked_at === null
      ? undefined
      : { at: row.revoked_at, by: row.revoked_by ?? '', reason: row.revoke_reason ?? '' }
  return {
    id: row.id,
    requestId: row.request_id,
    dataset: { id: row.dataset_id, slug: row.slug, title: row.title, agency: row.agency },
    grantee: { id: row.grantee_id, username: row.grantee, agency: row.grantee_agency },
    scope: row.scope,
    columns: row.columns ?? undefined,
    rowFilter: row.row_filter as RowCondition[],
    inClear: row.in_clear,
    grantedAt: row.granted_at,
    grantedBy: row.granted_by,
    expiresAt: row.expires_at,
    status: grantStatus({ expiresAt: row.expires_at, revoked }, now),
    revoked,
    purpose: row.purpose,
  }
}

/** Requests by id, with their dataset, approvals, grant, history and clock, in the given order. */
async function loadRequests(
  db: Db,
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
    const r = byId.get(id)
    if (!r) return []
    const history = events
      .filter((e) => e.request_id === id)
      .map((e) => ({
        at: e.at,
        actor: e.actor,
        action: e.action as AccessRequest['history'][number]['action'],
        from: (e.from_state ?? undefined) as RequestState | undefined,
        to: e.to_state as RequestState,
        details: e.details as Record<string, unknown>,
      }))
    const grantRow = grants.find((g) => g.request_id === id)
    const grant = grantRow ? toGrant(grantRow, now) : undefined
    const state = r.state as RequestState
    return [
      {
        id,
        dataset: {
          id: r.dataset_id,
          slug: r.slug,
          title: r.title,
          agency: r.agency,
          security: r.security_classification,
          sensitivity: r.sensitivity,
        },
        requester: { id: r.requester_id, username: r.requester, agency: r.requester_agency },
        scope: r.scope,
        columns: r.columns ?? undefined,
        purpose: r.purpose,
        legalBasis: r.legal_basis,
        durationDays: r.duration_days,
        project: r.project ?? undefined,
        crossAgency: r.cross_agency,
        state,
        status: state === 'approved' ? (grant?.status ?? 'active') : state,
        approvalsNeeded: r.approvals_needed,
        approvals: approvals
          .filter((a) => a.request_id === id)
          .map((a) => ({ steward: a.steward, at: a.at })),
        question: r.question ?? undefined,
        decisionReason: r.decision_reason ?? undefined,
        submittedAt: r.submitted_at,
        decidedAt: r.decided_at ?? undefined,
        grant,
        serviceLevel: serviceLevel(
          history.filter((h) => h.from !== h.to),
          calendar,
          now,
        ),
        history,
      },
    ]
  })
}
