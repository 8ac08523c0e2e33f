import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { InvalidInputError, type Logger } from '../core/index.js'
import type { NotificationTables } from './notification-tables.js'
import {
  createWebhookSender,
  RefusedDestinationError,
  type ResolveHost,
  TIMEOUT_MS,
  unsafeUrl,
  WithdrawnSendError,
} from './webhook-transport.js'

type Db = Kysely<NotificationTables>

export interface Webhook {
  id: string
  agency: string
  url: string
  createdBy: string
  createdAt: Date
  active: boolean
  /** Deliveries waiting, delivered, and failing (10 attempts or more, still retried). */
  deliveries: { pending: number; delivered: number; failing: number }
}

export interface Delivery {
  id: number
  eventId: string
  type: string
  attempts: number
  createdAt: Date
  deliveredAt: Date | null
  /** null once delivered. */
  nextAttemptAt: Date | null
  lastStatus: number | null
  lastError: string | null
}

/** After this many failed attempts a delivery is reported as failing (and still retried, hourly). */
export const MAX_ATTEMPTS = 10

/**
 * What a steward reads of a delivery the platform would not send. One wording for every reason
 * (a private address, a name that does not resolve, a URL no longer allowed): saying which would
 * tell a steward what the network inside resolves, and to what. The reason goes to the log.
 */
export const REFUSED_DESTINATION = 'refused: the destination is not allowed'

/** Registers an agency's receiver; the signing secret is returned here and never again. */
export async function registerWebhook(
  db: Db,
  input: { agency: string; url: string },
  createdBy: string,
  now: Date,
  options: { allowPrivate?: boolean } = {},
): Promise<{ webhook: Webhook; secret: string }> {
  const url = new URL(input.url)
  const refusal = unsafeUrl(url, Boolean(options.allowPrivate))
  if (refusal) throw new InvalidInputError(`url: ${refusal}`)
  const id = `w_${randomBytes(16).toString('hex')}`
  const secret = `whsec_${randomBytes(24).toString('base64url')}`
  await db
    .insertInto('webhooks')
    .values({
      id,
      agency: input.agency,
      url: url.toString(),
      secret,
      created_by: createdBy,
      created_at: now,
    })
    .execute()
  const [webhook] = await listWebhooks(db, [input.agency], id)
  if (!webhook) throw new Error(`Webhook ${id} vanished after it was written`)
  return { webhook, secret }
}

/** The webhooks of the given agencies (all, when undefined), with delivery counts. */
export async function listWebhooks(
  db: Db,
  agencies: string[] | undefined,
  id?: string,
): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks as w')
    .leftJoin('webhook_deliveries as d', 'd.webhook_id', 'w.id')
    .select(['w.id', 'w.agency', 'w.url', 'w.created_by', 'w.created_at', 'w.active'])
    .select((eb) => [
      eb.fn.count<string>('d.delivered_at').as('delivered'),
      eb.fn
        .count<string>('d.id')
        .filterWhere('d.delivered_at', 'is', null)
        .filterWhere('d.attempts', '<', MAX_ATTEMPTS)
        .as('pending'),
      eb.fn
        .count<string>('d.id')
        .filterWhere('d.delivered_at', 'is', null)
        .filterWhere('d.attempts', '>=', MAX_ATTEMPTS)
        .as('failing'),
    ])
    .$if(agencies !== undefined, (qb) =>
      qb.where('w.agency', 'in', agencies?.length ? agencies : ['']),
    )
    .$if(id !== undefined, (qb) => qb.where('w.id', '=', id ?? ''))
    .groupBy(['w.id', 'w.agency', 'w.url', 'w.created_by', 'w.created_at', 'w.active'])
    .orderBy('w.created_at')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    agency: r.agency,
    url: r.url,
    createdBy: r.created_by,
    createdAt: r.created_at,
    active: r.active,
    deliveries: {
      pending: Number(r.pending),
      delivered: Number(r.delivered),
      failing: Number(r.failing),
    },
  }))
}

/** A webhook's newest deliveries: what was sent, when, and how each attempt ended. */
export async function listDeliveries(db: Db, webhookId: string): Promise<Delivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    eventId: r.event_id,
    type: String((r.payload as { type?: unknown }).type ?? ''),
    attempts: r.attempts,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    nextAttemptAt: r.delivered_at === null ? r.next_attempt_at : null,
    lastStatus: r.last_status,
    lastError: r.last_error,
  }))
}

/** Writes the record of a change (the audit entry) inside the change's own transaction. */
export type RecordWithin<T> = (result: T, within: Kysely<unknown>) => Promise<unknown>

/**
 * Disables or enables a webhook; false when it is gone. While disabled no event is queued for it
 * and what was queued before is held, to be sent once it is enabled again.
 */
export async function setWebhookActive(
  db: Db,
  id: string,
  active: boolean,
  record: RecordWithin<{ active: boolean }>,
): Promise<boolean> {
  const change = async (trx: Db) => {
    const updated = await trx
      .updateTable('webhooks')
      .set({ active })
      .where('id', '=', id)
      .returning('id')
      .execute()
    if (updated.length === 0) return false
    await record({ active }, trx as Kysely<unknown>)
    return true
  }
  return db.transaction().execute(change)
}

/**
 * Removes a webhook with its secret and its whole outbox: deliveries still pending are dropped
 * (and the record of those sent goes with them; the audit log keeps the webhook's story). The
 * row is locked first, so an event being queued for it meanwhile either lands before (and is
 * dropped with it) or finds no webhook. Undefined when it was gone already.
 */
export async function deleteWebhook(
  db: Db,
  id: string,
  record: RecordWithin<{ droppedPending: number }>,
): Promise<{ droppedPending: number } | undefined> {
  const change = async (trx: Db) => {
    const locked = await trx
      .selectFrom('webhooks')
      .select('id')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!locked) return undefined
    const dropped = await trx
      .deleteFrom('webhook_deliveries')
      .where('webhook_id', '=', id)
      .returning('delivered_at')
      .execute()
    await trx.deleteFrom('webhooks').where('id', '=', id).execute()
    const result = { droppedPending: dropped.filter((d) => d.delivered_at === null).length }
    await record(result, trx as Kysely<unknown>)
    return result
  }
  return db.transaction().execute(change)
}

/** The signature a receiver checks: HMAC-SHA256 of the body with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * Sends what is due from the outbox, oldest first. A round claims its deliveries under a token
 * and a lease long enough for all of them to time out one after another, so no other process
 * sends them meanwhile, and records each outcome only under that token (a late result of a lost
 * lease changes nothing). A 2xx answer delivers; anything else, a redirect included, is retried
 * with backoff (30 s doubling, then hourly) for as long as it takes: nothing is dropped.
 * A webhook disabled or deleted meanwhile is checked before each send and again once the
 * receiver is connected, right before the request is written (a change landing while its name
 * resolves): its delivery goes back to wait (or is gone with it), unsent, no attempt counted.
 */
export async function deliverDue(
  db: Db,
  options: {
    now: () => Date
    limit?: number
    /** Allow plain-http, loopback and private receivers (tests, local demos). */
    allowPrivate?: boolean
    /** Where refusals are explained (the steward reads only {@link REFUSED_DESTINATION}). */
    log?: Pick<Logger, 'warn'>
    /** How receivers' names are resolved, both to check and to connect; DNS by default. */
    resolve?: ResolveHost
  },
): Promise<{ delivered: number; failed: number }> {
  const send = createWebhookSender({
    allowPrivate: Boolean(options.allowPrivate),
    resolve: options.resolve,
  })
  const limit = options.limit ?? 20
  const start = options.now()
  const token = randomUUID()
  const lease = limit * (TIMEOUT_MS + 1_000) + 30_000
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select([
        'd.id',
        'd.webhook_id',
        'd.event_id',
        'd.payload',
        'd.attempts',
        'w.url',
        'w.secret',
      ])
      .where('d.delivered_at', 'is', null)
      .where('d.next_attempt_at', '<=', start)
      .where('w.active', '=', true)
      .orderBy('d.id')
      .limit(limit)
      .forUpdate('d')
      .skipLocked()
      .execute()
    if (due.length > 0)
      await trx
        .updateTable('webhook_deliveries')
        .set({ claim_token: token, next_attempt_at: new Date(start.getTime() + lease) })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .execute()
    return due
  })
  const isActive = async (webhookId: string) =>
    (await db
      .selectFrom('webhooks')
      .select('id')
      .where('id', '=', webhookId)
      .where('active', '=', true)
      .executeTakeFirst()) !== undefined
  /** Back to wait, unsent and no attempt counted (a deleted webhook's delivery is gone already). */
  const release = (id: number) =>
    db
      .updateTable('webhook_deliveries')
      .set({ claim_token: null, next_attempt_at: start })
      .where('id', '=', id)
      .where('claim_token', '=', token)
      .execute()
  let delivered = 0
  let failed = 0
  for (const d of claimed) {
    if (!(await isActive(d.webhook_id))) {
      await release(d.id)
      continue
    }
    const body = JSON.stringify(d.payload)
    let status: number | undefined
    let error: string | undefined
    try {
      status = await send(
        new URL(d.url),
        {
          'content-type': 'application/json',
          'x-portal-event': d.event_id,
          'x-portal-signature': signature(d.secret, body),
        },
        body,
        () => isActive(d.webhook_id),
      )
      if (status >= 300 && status < 400) error = `HTTP ${status}: redirects are not followed`
      else if (status < 200 || status >= 300) error = `HTTP ${status}`
    } catch (cause) {
      if (cause instanceof WithdrawnSendError) {
        await release(d.id)
        continue
      }
      if (cause instanceof RefusedDestinationError) {
        error = REFUSED_DESTINATION
        options.log?.warn(
          { webhook: d.webhook_id, delivery: Number(d.id), reason: cause.message },
          'webhook delivery refused',
        )
      } else {
        // Never the error's own text: a network error may name the address it tried.
        error =
          cause instanceof Error && cause.name === 'TimeoutError'
            ? `no answer within ${TIMEOUT_MS / 1000} s`
            : 'the receiver could not be reached'
        options.log?.warn(
          { webhook: d.webhook_id, delivery: Number(d.id), err: cause },
          'webhook delivery failed',
        )
      }
    }
    const at = options.now()
    const attempts = d.attempts + 1
    if (!error) delivered++
    else failed++
    await db
      .updateTable('webhook_deliveries')
      .set({
        attempts,
        last_status: status ?? null,
        last_error: error ?? null,
        delivered_at: error ? null : at,
        claim_token: null,
        next_attempt_at: new Date(at.getTime() + Math.min(3_600_000, 30_000 * 2 ** (attempts - 1))),
      })
      .where('id', '=', d.id)
      .where('claim_token', '=', token)
      .execute()
  }
  return { delivered, failed }
}
