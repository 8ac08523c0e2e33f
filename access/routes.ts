import { type Context, Hono } from 'hono'
import {
  type AppAbility,
  asSubject,
  type RouteEnv,
  serve,
  signedInUser,
  type User,
} from '../identity/index.js'
import {
  type ActionBody,
  amendRequest,
  approveRequest,
  askInfoRequest,
  createRequest,
  getRequest,
  listEntitlements,
  listGrants,
  listRequests,
  rejectRequest,
  resubmitRequest,
  revokeGrant,
  withdrawRequest,
} from './access-api.js'
import type { AccessRequest } from './access-request.js'
import type { AccessStore } from './access-store.js'
import { toEntitlementJson } from './entitlement-json.js'
import type { Entitlement } from './entitlements.js'
import { toGrantJson } from './grant-json.js'
import { toRequestDetailJson, toRequestJson } from './request-json.js'
import { ACTION_BY, allowedActions, type RequestAction } from './request-states.js'
import type { ActionInput } from './request-workflow.js'

export interface AccessRouteDeps {
  access: AccessStore
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  now: () => Date
}

/**
 * The data-sharing workflow, mounted under /api/requests: create, list, read, and one
 * `POST /:id/<action>` per step. Each step is audited by the store, inside its own transaction.
 */
export const requestRoutes = (deps: AccessRouteDeps) => {
  const act = async (c: Context<RouteEnv>, id: string, action: RequestAction, body: ActionBody) => {
    const input: ActionInput = {
      ...body,
      expiresAt: 'expiresAt' in body && body.expiresAt ? new Date(body.expiresAt) : undefined,
    }
    const caller = callerOf(c)
    const request = await deps.access.act(
      id,
      action,
      input,
      caller,
      c.get('ability'),
      deps.now(),
      c.get('requestId'),
    )
    return c.json(
      {
        ok: true as const,
        data: toRequestDetailJson(request, stepsFor(request, caller, c.get('ability'))),
      },
      200,
    )
  }
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(listRequests, async (c) => {
        const caller = callerOf(c)
        const query = c.req.valid('query')
        const requests = await deps.access.list(
          {
            status: query.status,
            dataset: query.dataset,
            mine: query.mine,
            requester: query.requester,
            agency: query.agency,
            limit: query.limit,
            offset: query.offset,
          },
          caller,
          c.get('ability'),
          deps.now(),
        )
        return c.json(
          {
            ok: true as const,
            data: requests.map((r) => toRequestJson(r, stepsFor(r, caller, c.get('ability')))),
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(createRequest, async (c) => {
        const caller = callerOf(c)
        const request = await deps.access.submit(
          c.req.valid('json'),
          caller,
          c.get('ability'),
          deps.now(),
          c.get('requestId'),
        )
        return c.json(
          {
            ok: true as const,
            data: toRequestDetailJson(request, stepsFor(request, caller, c.get('ability'))),
          },
          201,
        )
      }),
    )
    .route(
      '/',
      serve(getRequest, async (c) => {
        const request = await deps.access.get(c.req.valid('param').id, c.get('ability'), deps.now())
        return c.json(
          {
            ok: true as const,
            data: toRequestDetailJson(request, stepsFor(request, callerOf(c), c.get('ability'))),
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(approveRequest, (c) => act(c, c.req.valid('param').id, 'approve', c.req.valid('json'))),
    )
    .route(
      '/',
      serve(rejectRequest, (c) => act(c, c.req.valid('param').id, 'reject', c.req.valid('json'))),
    )
    .route(
      '/',
      serve(askInfoRequest, (c) =>
        act(c, c.req.valid('param').id, 'ask-info', c.req.valid('json')),
      ),
    )
    .route(
      '/',
      serve(resubmitRequest, (c) =>
        act(c, c.req.valid('param').id, 'resubmit', c.req.valid('json')),
      ),
    )
    .route(
      '/',
      serve(amendRequest, (c) => act(c, c.req.valid('param').id, 'amend', c.req.valid('json'))),
    )
    .route(
      '/',
      serve(withdrawRequest, (c) =>
        act(c, c.req.valid('param').id, 'withdraw', c.req.valid('json')),
      ),
    )
}

/** Grants, mounted under /api/grants: who holds access and why; revoke. */
export const grantRoutes = (deps: AccessRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(listGrants, async (c) => {
        const query = c.req.valid('query')
        const grants = await deps.access.listGrants(
          {
            dataset: query.dataset,
            status: query.status,
            grantee: query.grantee,
            agency: query.agency,
            expiringWithinDays: query.expiringWithinDays,
            limit: query.limit,
            offset: query.offset,
          },
          c.get('ability'),
          deps.now(),
        )
        return c.json({ ok: true as const, data: grants.map(toGrantJson) }, 200)
      }),
    )
    .route(
      '/',
      serve(revokeGrant, async (c) => {
        const { reason } = c.req.valid('json')
        const grant = await deps.access.revokeGrant(
          c.req.valid('param').id,
          reason,
          callerOf(c),
          c.get('ability'),
          deps.now(),
          c.get('requestId'),
        )
        return c.json({ ok: true as const, data: toGrantJson(grant) }, 200)
      }),
    )

/** What the caller may read right now, mounted under /api/entitlements. */
export const entitlementRoutes = (deps: AccessRouteDeps) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(listEntitlements, async (c) => {
      const entitlements = await deps.entitlements(callerOf(c), c.get('ability'), deps.now())
      return c.json({ ok: true as const, data: entitlements.map(toEntitlementJson) }, 200)
    }),
  )

const callerOf = (c: Context<RouteEnv>) =>
  signedInUser(c, 'Sign in to use the data-sharing workflow')

/** The steps `caller` may take on the request now: a steward's once, never on their own. */
function stepsFor(r: AccessRequest, caller: User, ability: AppAbility): RequestAction[] {
  const subject = asSubject('AccessRequest', {
    requesterId: r.requester.id,
    agency: r.dataset.agency,
  })
  const mayDecide = ability.can('decide', subject) && r.requester.id !== caller.id
  const isRequester = r.requester.id === caller.id
  return allowedActions(r.state).filter((a) =>
    ACTION_BY[a] === 'steward'
      ? mayDecide && !r.approvals.some((x) => x.steward === caller.username)
      : isRequester,
  )
}
