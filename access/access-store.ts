import { randomBytes } from 'node:crypto'
import type { AuditLog } from '../audit/index.js'
import { NotFoundError } from '../core/index.js'
import type { AppAbility, User } from '../identity/index.js'
import type { WorkingDayCalendar } from '../reference/index.js'
import type { AccessRequest, Grant, RequestInput } from './access-request.js'
import type { AccessDb } from './access-tables.js'
import { applyEffects } from './apply-effects.js'
import {
  findGrants,
  type GrantFilter,
  grantQuery,
  heldAggregates,
  lockGrant,
} from './grant-loads.js'
import {
  datasetColumns,
  findRequestIds,
  findVisibleDataset,
  findVisibleRequest,
  loadRequests,
  lockRequest,
  openRequest,
  type RequestFilter,
} from './request-loads.js'
import { toGrant } from './request-rows.js'
import type { RequestAction } from './request-states.js'
import { type ActionInput, decideStep } from './request-workflow.js'
import { decideRevocation } from './revocation.js'
import { decideSubmission } from './submission.js'

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

/** Who asks, with what rights, when, and under which HTTP request (for the audit). */
interface Caller {
  actor: User
  ability: AppAbility
  now: Date
  requestId: string | undefined
}

const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString('hex')}`

/**
 * The workflow's store. Each step loads (and locks) what it decides on, asks the pure decision
 * (request-workflow.ts, submission.ts, revocation.ts) and writes its effects in one transaction.
 * With `audit`, every step's audit entry is appended inside that transaction: a step is on the
 * hash-chained record if and only if it happened.
 */
export function createAccessStore(
  db: AccessDb,
  calendar: WorkingDayCalendar,
  audit?: Pick<AuditLog, 'append'>,
): AccessStore {
  const loadOne = async (id: string, now: Date) => {
    const [request] = await loadRequests(db, [id], calendar, now)
    return request
  }

  async function submit(input: RequestInput, caller: Caller): Promise<AccessRequest> {
    const { actor: requester, ability, now } = caller
    const dataset = await findVisibleDataset(db, input.dataset, ability)
    const id = newId('r')
    const { effects } = decideSubmission({
      id,
      input,
      dataset: { ...dataset, columns: await datasetColumns(db, dataset.id) },
      requester,
      ability,
      now,
      heldAggregates:
        input.scope === 'aggregates'
          ? await heldAggregates(db, { datasetId: dataset.id, granteeId: requester.id, now })
          : undefined,
      openRequest: await openRequest(db, { datasetId: dataset.id, requesterId: requester.id }),
    })
    await db.transaction().execute(async (trx) => {
      await applyEffects(trx, effects, { ...caller, accessRequestId: id, audit })
    })
    const request = await loadOne(id, now)
    if (!request) throw new Error(`Request ${id} vanished after it was written`)
    return request
  }

  async function act(
    step: { id: string; action: RequestAction; input: ActionInput },
    caller: Caller,
  ): Promise<AccessRequest> {
    const { id } = step
    await db.transaction().execute(async (trx) => {
      const request = await lockRequest(trx, id, caller.ability)
      const { effects } = decideStep({
        request,
        actor: caller.actor,
        ability: caller.ability,
        now: caller.now,
        action: step.action,
        input: step.input,
        calendar,
        grantId: newId('g'),
      })
      await applyEffects(trx, effects, { ...caller, accessRequestId: id, audit })
    })
    const request = await loadOne(id, caller.now)
    if (!request) throw new NotFoundError(`Access request '${id}' not found`)
    return request
  }

  async function revokeGrant(id: string, reason: string, caller: Caller): Promise<Grant> {
    await db.transaction().execute(async (trx) => {
      const grant = await lockGrant(trx, id, caller.ability, caller.now)
      const { actor, ability, now } = caller
      const { effects } = decideRevocation({ grant, reason, actor, ability, now })
      await applyEffects(trx, effects, { ...caller, accessRequestId: grant.requestId, audit })
    })
    const [row] = await grantQuery(db).where('g.id', '=', id).execute()
    if (!row) throw new NotFoundError(`Grant '${id}' not found`)
    return toGrant(row, caller.now)
  }

  return {
    submit: (input, requester, ability, now, requestId) =>
      submit(input, { actor: requester, ability, now, requestId }),

    list: async (filter, caller, ability, now) =>
      loadRequests(db, await findRequestIds(db, filter, caller, ability, now), calendar, now),

    async get(id, ability, now) {
      await findVisibleRequest(db, id, ability, { lock: false })
      const request = await loadOne(id, now)
      if (!request) throw new NotFoundError(`Access request '${id}' not found`)
      return request
    },

    act: (id, action, input, actor, ability, now, requestId) =>
      act({ id, action, input }, { actor, ability, now, requestId }),

    listGrants: (filter, ability, now) => findGrants(db, filter, ability, now),

    revokeGrant: (id, reason, actor, ability, now, requestId) =>
      revokeGrant(id, reason, { actor, ability, now, requestId }),
  }
}
