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
} from '../identity/index.js'
import { validate } from '../routing/index.js'
import { MAX_LENGTH, pickedName } from '../text/index.js'
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

/** The caller's inbox, mounted under /api/notifications. */
export const notificationRoutes = (deps: NotificationRouteDeps) =>
  new Hono<RouteEnv>()
    .get('/', async (c) => {
      const caller = c.get('caller')
      if (!caller) throw new ForbiddenError('Sign in to read notifications')
      return c.json({ ok: true as const, data: await inbox(deps.db, caller.user.id) })
    })
    .post('/read', validate('json', markReadBody), async (c) => {
      const caller = c.get('caller')
      if (!caller) throw new ForbiddenError('Sign in to read notifications')
      const marked = await markRead(deps.db, caller.user.id, c.req.valid('json').ids, deps.now())
      return c.json({ ok: true as const, data: { marked } })
    })

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
    .get('/', async (c) => {
      const ability = c.get('ability')
      if (!ability.can('read', 'Webhook'))
        throw new ForbiddenError('Only stewards and administrators manage webhooks')
      const all = await listWebhooks(deps.db, undefined)
      const allowed = new Set(visibleAgencies(ability, [...new Set(all.map((w) => w.agency))]))
      return c.json({ ok: true as const, data: all.filter((w) => allowed.has(w.agency)) })
    })
    .post('/', validate('json', webhookBody), async (c) => {
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
    })
    .get('/:id/deliveries', async (c) => {
      const webhook = await webhookFor(c.get('ability'), c.req.param('id'), 'read')
      return c.json({ ok: true as const, data: await listDeliveries(deps.db, webhook.id) })
    })
    .patch('/:id', validate('json', webhookPatch), async (c) => {
      const webhook = await webhookFor(c.get('ability'), c.req.param('id'), 'update')
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
      return c.json({ ok: true as const, data: updated ?? { ...webhook, active } })
    })
    .delete('/:id', async (c) => {
      const webhook = await webhookFor(c.get('ability'), c.req.param('id'), 'delete')
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
      return c.json({ ok: true as const, data: { id: webhook.id, ...removed } })
    })
}
