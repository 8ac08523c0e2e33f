import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { AuditLog } from '../audit/index.js'
import { ForbiddenError, NotFoundError } from '../core/index.js'
import {
  type AppAbility,
  actorOf,
  asSubject,
  type IdentityTables,
  type RouteEnv,
  serve,
} from '../identity/index.js'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH, pickedName } from '../text/index.js'
import {
  deletedWebhookJson,
  deliveryJson,
  inboxJson,
  markedReadJson,
  registeredWebhookJson,
  webhookJson,
} from './notification-json.js'
import type { NotificationTables } from './notification-tables.js'
import { inbox, markRead } from './notifications.js'
import {
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  registerWebhook,
  setWebhookActive,
  type Webhook,
} from './webhooks.js'

export interface NotificationRouteDeps {
  db: Kysely<NotificationTables & Pick<IdentityTables, 'users'>>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** Accept plain-http, loopback and private receivers (tests, local demos). */
  allowPrivateWebhooks: boolean
}

export const markReadBody = z.strictObject({
  ids: z.array(z.number().int().positive()).max(500).optional().describe('Omit to mark all read'),
})
export const webhookBody = z.strictObject({
  url: z
    .url('url: must be an absolute URL, e.g. https://hooks.agency.gov.sg/portal')
    .max(MAX_LENGTH.url),
  agency: pickedName({ max: MAX_LENGTH.code, min: 2 })
    .optional()
    .describe("The agency whose events it receives; by default the caller's"),
})
export const webhookPatch = z.strictObject({
  active: z
    .boolean('active: true to enable, false to disable')
    .describe(
      'false disables it: no event is queued for it and queued deliveries are held; true sends them again',
    ),
})

export const webhookIdParam = z.strictObject({
  // As long as any path part may be (server/bound-path.ts): an unknown id is a 404, not a 400.
  id: z.string().max(MAX_LENGTH.url).describe("The webhook's id (`w_` + 32 hex digits)."),
})

const NO_WEBHOOK = 'No such webhook, or not of an agency the caller manages'

export const getInbox = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: "The caller's inbox (newest first) and how many are unread",
  responses: { 200: { description: 'The inbox', json: ok(inboxJson) } },
})

export const markInboxRead = defineRoute({
  method: 'post',
  path: '/read',
  access: 'signed-in',
  summary: 'Mark inbox entries read (all when no ids are sent)',
  request: { body: markReadBody },
  responses: { 200: { description: 'Marked', json: ok(markedReadJson) } },
})

/** The caller's inbox, mounted under /api/notifications. */
export const NOTIFICATIONS_API = defineModule('/notifications', 'Data sharing', {
  getInbox,
  markInboxRead,
})

export const listWebhooksRoute = defineRoute({
  method: 'get',
  path: '/',
  access: 'curator',
  summary: "Webhooks of the caller's agency (all, for administrators), with delivery counts",
  responses: { 200: { description: 'The webhooks', json: ok(z.array(webhookJson)) } },
})

export const registerWebhookRoute = defineRoute({
  method: 'post',
  path: '/',
  access: 'curator',
  summary: "Register an agency's receiver of data-sharing events (answers 201)",
  description:
    "Events are POSTed as JSON with `x-portal-event` (the event id, unique) and `x-portal-signature: sha256=<HMAC-SHA256 of the body with the secret>`. Besides the data-sharing events (`request.*`, `grant.*`), the agency's datasets' events come too: `dataset.version-published`, `dataset.schema-changed`, `dataset.quality-failed` and `dataset.deprecated`, each with `dataset` `{ id, slug, title, agency }` and what happened. The secret is in this answer only. Receivers must be public https addresses; redirects are not followed. Failed deliveries are retried with backoff (30 s doubling, then hourly) until they succeed; nothing is dropped from the outbox unless the webhook is deleted. Audited as `webhook.create`.",
  request: { body: webhookBody },
  responses: {
    201: {
      description: 'The webhook, with its signing secret (shown once)',
      json: ok(registeredWebhookJson),
    },
  },
})

export const listWebhookDeliveries = defineRoute({
  method: 'get',
  path: '/:id/deliveries',
  access: 'curator',
  summary: 'What was sent to a webhook, and how each delivery went',
  description:
    'The newest 200. A delivery the platform would not send (a receiver whose name resolves inside the network, does not resolve, or is no longer allowed) reads `refused: the destination is not allowed`, whatever the reason; the reason is in the server log only.',
  request: { params: webhookIdParam },
  responses: {
    200: { description: 'The deliveries, newest first', json: ok(z.array(deliveryJson)) },
    404: NO_WEBHOOK,
  },
})

export const setWebhookActiveRoute = defineRoute({
  method: 'patch',
  path: '/:id',
  access: 'curator',
  summary: 'Disable or re-enable a webhook',
  description:
    'Audited as `webhook.disable` or `webhook.enable`. While disabled, no event is queued for it and deliveries already queued are held (a send under way is stopped before it starts); enabling it sends them. Events that happened while it was disabled are not sent.',
  request: { params: webhookIdParam, body: webhookPatch },
  responses: {
    200: { description: 'The webhook, changed', json: ok(webhookJson) },
    404: NO_WEBHOOK,
  },
})

export const deleteWebhookRoute = defineRoute({
  method: 'delete',
  path: '/:id',
  access: 'curator',
  summary: 'Delete a webhook, its secret and its outbox',
  description:
    'Pending deliveries are dropped (answers `{ id, droppedPending }`); the record of deliveries goes too. Audited as `webhook.delete`.',
  request: { params: webhookIdParam },
  responses: {
    200: { description: 'Deleted', json: ok(deletedWebhookJson) },
    404: NO_WEBHOOK,
  },
})

/** Agencies' webhooks, mounted under /api/webhooks. */
export const WEBHOOKS_API = defineModule('/webhooks', 'Data sharing', {
  listWebhooks: listWebhooksRoute,
  registerWebhook: registerWebhookRoute,
  listWebhookDeliveries,
  setWebhookActive: setWebhookActiveRoute,
  deleteWebhook: deleteWebhookRoute,
})

/** The caller's inbox, mounted under /api/notifications. */
export const notificationRoutes = (deps: NotificationRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(getInbox, async (c) => {
        const caller = c.get('caller')
        if (!caller) throw new ForbiddenError('Sign in to read notifications')
        return c.json({ ok: true as const, data: await inbox(deps.db, caller.user.id) }, 200)
      }),
    )
    .route(
      '/',
      serve(markInboxRead, async (c) => {
        const caller = c.get('caller')
        if (!caller) throw new ForbiddenError('Sign in to read notifications')
        const marked = await markRead(deps.db, caller.user.id, c.req.valid('json').ids, deps.now())
        return c.json({ ok: true as const, data: { marked } }, 200)
      }),
    )

/**
 * Agencies' webhooks, mounted under /api/webhooks: stewards register their agency's receivers
 * (administrators any agency's) and see what was delivered.
 */
export const webhookRoutes = (deps: NotificationRouteDeps) => {
  const visibleAgencies = (ability: AppAbility, agencies: string[]) =>
    agencies.filter((agency) => ability.can('read', asSubject('Webhook', { agency })))
  /** The webhook, if the caller may see it (404 otherwise, as for reading) and do `action` (403). */
  const webhookFor = async (
    ability: AppAbility,
    id: string,
    action: 'read' | 'update' | 'delete',
  ): Promise<Webhook> => {
    const [webhook] = await listWebhooks(deps.db, undefined, id)
    if (!webhook || !ability.can('read', asSubject('Webhook', { agency: webhook.agency })))
      throw new NotFoundError(`Webhook '${id}' not found`)
    if (!ability.can(action, asSubject('Webhook', { agency: webhook.agency })))
      throw new ForbiddenError(
        `Only stewards of ${webhook.agency} and administrators change its webhooks`,
      )
    return webhook
  }
  // Origin and path only: a query string may carry a receiver's token.
  const auditedUrl = (url: string) => `${new URL(url).origin}${new URL(url).pathname}`
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(listWebhooksRoute, async (c) => {
        const ability = c.get('ability')
        if (!ability.can('read', 'Webhook'))
          throw new ForbiddenError('Only stewards and administrators manage webhooks')
        const all = await listWebhooks(deps.db, undefined)
        const allowed = new Set(visibleAgencies(ability, [...new Set(all.map((w) => w.agency))]))
        return c.json({ ok: true as const, data: all.filter((w) => allowed.has(w.agency)) }, 200)
      }),
    )
    .route(
      '/',
      serve(registerWebhookRoute, async (c) => {
        const caller = c.get('caller')
        const body = c.req.valid('json')
        const agency = body.agency ?? caller?.user.agency.code ?? ''
        if (!c.get('ability').can('create', asSubject('Webhook', { agency })))
          throw new ForbiddenError(`Only stewards of ${agency} and administrators add its webhooks`)
        const { webhook, secret } = await registerWebhook(
          deps.db,
          { agency, url: body.url },
          caller?.user.username ?? 'unknown',
          deps.now(),
          { allowPrivate: deps.allowPrivateWebhooks },
        )
        await deps.audit.append(
          {
            actor: actorOf(caller),
            action: 'webhook.create',
            outcome: 'succeeded',
            subject: { type: 'Webhook', id: webhook.id },
            details: { agency, url: auditedUrl(webhook.url) },
            requestId: c.get('requestId'),
          },
          deps.now(),
        )
        return c.json({ ok: true as const, data: { ...webhook, secret } }, 201)
      }),
    )
    .route(
      '/',
      serve(listWebhookDeliveries, async (c) => {
        const webhook = await webhookFor(c.get('ability'), c.req.valid('param').id, 'read')
        return c.json({ ok: true as const, data: await listDeliveries(deps.db, webhook.id) }, 200)
      }),
    )
    .route(
      '/',
      serve(setWebhookActiveRoute, async (c) => {
        const webhook = await webhookFor(c.get('ability'), c.req.valid('param').id, 'update')
        const { active } = c.req.valid('json')
        const found = await setWebhookActive(deps.db, webhook.id, active, (_, within) =>
          deps.audit.append(
            {
              actor: actorOf(c.get('caller')),
              action: active ? 'webhook.enable' : 'webhook.disable',
              outcome: 'succeeded',
              subject: { type: 'Webhook', id: webhook.id },
              details: { agency: webhook.agency, url: auditedUrl(webhook.url) },
              requestId: c.get('requestId'),
            },
            deps.now(),
            within,
          ),
        )
        if (!found) throw new NotFoundError(`Webhook '${webhook.id}' not found`)
        const [updated] = await listWebhooks(deps.db, undefined, webhook.id)
        return c.json({ ok: true as const, data: updated ?? { ...webhook, active } }, 200)
      }),
    )
    .route(
      '/',
      serve(deleteWebhookRoute, async (c) => {
        const webhook = await webhookFor(c.get('ability'), c.req.valid('param').id, 'delete')
        const removed = await deleteWebhook(deps.db, webhook.id, (deleted, within) =>
          deps.audit.append(
            {
              actor: actorOf(c.get('caller')),
              action: 'webhook.delete',
              outcome: 'succeeded',
              subject: { type: 'Webhook', id: webhook.id },
              details: {
                agency: webhook.agency,
                url: auditedUrl(webhook.url),
                droppedPending: deleted.droppedPending,
              },
              requestId: c.get('requestId'),
            },
            deps.now(),
            within,
          ),
        )
        if (!removed) throw new NotFoundError(`Webhook '${webhook.id}' not found`)
        return c.json({ ok: true as const, data: { id: webhook.id, ...removed } }, 200)
      }),
    )
}
