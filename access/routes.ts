import { type Context, Hono } from 'hono'
import { z } from 'zod'
import {
  type AppAbility,
  asSubject,
  type RouteEnv,
  signedInUser,
  type User,
} from '../identity/index.js'
import { validate } from '../routing/index.js'
import { MAX_ITEMS, MAX_LENGTH, pickedName } from '../text/index.js'
import { ACCESS_SCOPES, type AccessRequest, type Grant } from './access-request.js'
import type { AccessStore, ActionInput } from './access-store.js'
import type { Entitlement } from './entitlements.js'
import { ACTION_BY, allowedActions, type RequestAction } from './request-states.js'

export interface AccessRouteDeps {
  access: AccessStore
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  now: () => Date
}

const column = pickedName({ max: MAX_LENGTH.name })
const columnList = z.array(column).min(1).max(MAX_ITEMS.columns)
const text = (field: string, min: number, max: number, hint: string) =>
  z.string().trim().min(min, `${field}: ${hint}`).max(max)

export const requestBody = z.strictObject({
  dataset: z.string().min(1).max(MAX_LENGTH.slug).describe('The dataset slug or id'),
  scope: z
    .enum(ACCESS_SCOPES)
    .default('rows')
    .describe(
      'rows (the default): the data row by row; aggregates: only answers of aggregate queries that pass output checks',
    ),
  columns: columnList.optional().describe('Omit to ask for every column'),
  purpose: text(
    'purpose',
    20,
    MAX_LENGTH.justification,
    'say what the data is for, in at least 20 characters',
  ),
  legalBasis: text('legalBasis', 5, 500, 'name the law or agreement that allows the sharing'),
  durationDays: z.number().int().min(1).max(730),
  project: z
    .strictObject({
      // The project's name keys its pseudonyms (keys/pseudonyms.ts): one name, however typed.
      name: pickedName({ max: MAX_LENGTH.title, min: 3, tooShort: 'name the project' }),
      partnerAgencies: z
        .array(pickedName({ max: MAX_LENGTH.code, min: 2 }))
        .max(30)
        .optional(),
    })
    .optional(),
})

const filterValue = z.string().max(MAX_LENGTH.value)
const rowCondition = z.discriminatedUnion('op', [
  z.strictObject({
    column,
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
    value: z.union([filterValue, z.number()]),
  }),
  z.strictObject({
    column,
    op: z.literal('in'),
    values: z
      .array(z.union([filterValue, z.number()]))
      .min(1)
      .max(1_000),
  }),
])

export const approveBody = z.strictObject({
  columns: columnList.optional().describe('A subset of the columns requested'),
  rowFilter: z.array(rowCondition).max(20).optional().describe('Every condition must hold'),
  inClear: columnList
    .optional()
    .describe('Direct identifiers to share in clear; every other one is masked in every output'),
  expiresAt: z.iso
    .datetime({ offset: true })
    .max(MAX_LENGTH.time)
    .optional()
    .describe('No later than the duration requested; by default the full duration'),
})
export const rejectBody = z.strictObject({
  reason: text('reason', 5, MAX_LENGTH.justification, 'say why the request is rejected'),
})
export const askInfoBody = z.strictObject({
  question: text('question', 5, MAX_LENGTH.justification, 'say what information is needed'),
})
export const resubmitBody = z.strictObject({
  answer: text('answer', 2, MAX_LENGTH.justification, "answer the steward's question"),
  changes: requestBody
    .pick({ columns: true, purpose: true, legalBasis: true, durationDays: true })
    .partial()
    .optional(),
})
export const withdrawBody = z.strictObject({
  reason: z.string().trim().max(MAX_LENGTH.justification).optional(),
})
export const revokeBody = z.strictObject({
  reason: text('reason', 5, MAX_LENGTH.justification, 'say why access ends'),
})

type ActionBody =
  | z.infer<typeof approveBody>
  | z.infer<typeof rejectBody>
  | z.infer<typeof askInfoBody>
  | z.infer<typeof resubmitBody>
  | z.infer<typeof withdrawBody>

const statuses = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .union([z.enum(values), z.array(z.enum(values)).max(MAX_ITEMS.queryValues)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

export const requestListQuery = z.strictObject({
  status: statuses([
    'submitted',
    'needs-info',
    'active',
    'expired',
    'revoked',
    'rejected',
    'withdrawn',
  ]).describe('Repeat to match any of several'),
  dataset: z.string().min(1).max(MAX_LENGTH.slug).optional(),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe("Only the caller's own requests"),
})
export const grantListQuery = z.strictObject({
  status: statuses(['active', 'expired', 'revoked']),
  dataset: z.string().min(1).max(MAX_LENGTH.slug).optional(),
})

/**
 * The data-sharing workflow, mounted under /api/requests: create, list, read, and one
 * `POST /:id/<action>` per step. Each step is audited by the store, inside its own transaction.
 */
export const requestRoutes = (deps: AccessRouteDeps) => {
  const act = async (c: Context<RouteEnv>, action: RequestAction, body: ActionBody) => {
    const input: ActionInput = {
      ...body,
      expiresAt: 'expiresAt' in body && body.expiresAt ? new Date(body.expiresAt) : undefined,
    }
    const request = await deps.access.act(
      c.req.param('id') ?? '',
      action,
      input,
      callerOf(c),
      c.get('ability'),
      deps.now(),
      c.get('requestId'),
    )
    return c.json({
      ok: true as const,
      data: requestJson(request, callerOf(c), c.get('ability'), true),
    })
  }
  return new Hono<RouteEnv>()
    .get('/', validate('query', requestListQuery), async (c) => {
      const caller = callerOf(c)
      const query = c.req.valid('query')
      const requests = await deps.access.list(
        { status: query.status, dataset: query.dataset, mine: query.mine },
        caller,
        c.get('ability'),
        deps.now(),
      )
      return c.json({
        ok: true as const,
        data: requests.map((r) => requestJson(r, caller, c.get('ability'), false)),
      })
    })
    .post('/', validate('json', requestBody), async (c) => {
      const caller = callerOf(c)
      const request = await deps.access.submit(
        c.req.valid('json'),
        caller,
        c.get('ability'),
        deps.now(),
        c.get('requestId'),
      )
      return c.json(
        { ok: true as const, data: requestJson(request, caller, c.get('ability'), true) },
        201,
      )
    })
    .get('/:id', async (c) => {
      const request = await deps.access.get(c.req.param('id'), c.get('ability'), deps.now())
      return c.json({
        ok: true as const,
        data: requestJson(request, callerOf(c), c.get('ability'), true),
      })
    })
    .post('/:id/approve', validate('json', approveBody), (c) =>
      act(c, 'approve', c.req.valid('json')),
    )
    .post('/:id/reject', validate('json', rejectBody), (c) => act(c, 'reject', c.req.valid('json')))
    .post('/:id/ask-info', validate('json', askInfoBody), (c) =>
      act(c, 'ask-info', c.req.valid('json')),
    )
    .post('/:id/resubmit', validate('json', resubmitBody), (c) =>
      act(c, 'resubmit', c.req.valid('json')),
    )
    .post('/:id/withdraw', validate('json', withdrawBody), (c) =>
      act(c, 'withdraw', c.req.valid('json')),
    )
}

/** Grants, mounted under /api/grants: who holds access and why; revoke. */
export const grantRoutes = (deps: AccessRouteDeps) =>
  new Hono<RouteEnv>()
    .get('/', validate('query', grantListQuery), async (c) => {
      const query = c.req.valid('query')
      const grants = await deps.access.listGrants(
        { dataset: query.dataset, status: query.status },
        c.get('ability'),
        deps.now(),
      )
      return c.json({ ok: true as const, data: grants.map(grantJson) })
    })
    .post('/:id/revoke', validate('json', revokeBody), async (c) => {
      const { reason } = c.req.valid('json')
      const grant = await deps.access.revokeGrant(
        c.req.param('id'),
        reason,
        callerOf(c),
        c.get('ability'),
        deps.now(),
        c.get('requestId'),
      )
      return c.json({ ok: true as const, data: grantJson(grant) })
    })

/** What the caller may read right now, mounted under /api/entitlements. */
export const entitlementRoutes = (deps: AccessRouteDeps) =>
  new Hono<RouteEnv>().get('/', async (c) => {
    const entitlements = await deps.entitlements(callerOf(c), c.get('ability'), deps.now())
    return c.json({
      ok: true as const,
      data: entitlements.map((e) => ({ ...e, expiresAt: e.expiresAt ?? null })),
    })
  })

const callerOf = (c: Context<RouteEnv>) =>
  signedInUser(c, 'Sign in to use the data-sharing workflow')

/** A request as the API shows it, with the steps this caller may take now. */
function requestJson(r: AccessRequest, caller: User, ability: AppAbility, withHistory: boolean) {
  const subject = asSubject('AccessRequest', {
    requesterId: r.requester.id,
    agency: r.dataset.agency,
  })
  const mayDecide = ability.can('decide', subject) && r.requester.id !== caller.id
  const isRequester = r.requester.id === caller.id
  return {
    id: r.id,
    dataset: r.dataset,
    requester: r.requester,
    scope: r.scope,
    columns: r.columns ?? null,
    purpose: r.purpose,
    legalBasis: r.legalBasis,
    durationDays: r.durationDays,
    project: r.project ?? null,
    crossAgency: r.crossAgency,
    state: r.state,
    status: r.status,
    approvalsNeeded: r.approvalsNeeded,
    approvals: r.approvals,
    question: r.question ?? null,
    decisionReason: r.decisionReason ?? null,
    submittedAt: r.submittedAt,
    decidedAt: r.decidedAt ?? null,
    grant: r.grant ? grantJson(r.grant) : null,
    serviceLevel: { ...r.serviceLevel, due: r.serviceLevel.due ?? null },
    allowedActions: allowedActions(r.state).filter((a) =>
      ACTION_BY[a] === 'steward'
        ? mayDecide && !r.approvals.some((x) => x.steward === caller.username)
        : isRequester,
    ),
    ...(withHistory && { history: r.history }),
  }
}

function grantJson(g: Grant) {
  return {
    ...g,
    inClear: g.inClear,
    columns: g.columns ?? null,
    revoked: g.revoked ?? null,
  }
}
