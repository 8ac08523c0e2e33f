import { createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import type { CatalogTables } from './catalog-tables.js'

type Db = Kysely<CatalogTables>

export interface Webhook {
  id: string
  agency: string
  url: string
  createdBy: string
  createdAt: Date
  active: boolean
  /** Deliveries waiting, delivered, and given up on. */
  deliveries: { pending: number; delivered: number; failed: number }
}

export interface Delivery {
  id: number
  eventId: string
  type: string
  attempts: number
  createdAt: Date
  deliveredAt: Date | undefined
  nextAttemptAt: Date | undefined
  lastStatus: number | undefined
  lastError: string | undefined
}

/** After this many failed attempts a delivery stops being retried (it stays in the outbox). */
export const MAX_ATTEMPTS = 10
/** A claimed delivery is someone else's for this long: enough for one HTTP call and its timeout. */
const LEASE_MS = 60_000
const TIMEOUT_MS = 10_000

/** Registers an agency's receiver; the signing secret is returned here and never again. */
export async function registerWebhook(
  db: Db,
  input: { agency: string; url: string },
  createdBy: string,
  now: Date,
): Promise<{ webhook: Webhook; secret: string }> {
  const url = new URL(input.url)
  if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    throw new InvalidInputError('url: must be https (plain http only to localhost, for testing)')
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
        .as('failed'),
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
      failed: Number(r.failed),
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
    deliveredAt: r.delivered_at ?? undefined,
    nextAttemptAt:
      r.delivered_at === null && r.attempts < MAX_ATTEMPTS ? r.next_attempt_at : undefined,
    lastStatus: r.last_status ?? undefined,
    lastError: r.last_error ?? undefined,
  }))
}

/** The signature a receiver checks: HMAC-SHA256 of the body with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/**
 * Sends what is due from the outbox, oldest first. Each delivery is claimed with a short lease
 * (so two processes never send it at once and no lock is held over HTTP), then marked delivered
 * on a 2xx answer, or rescheduled with exponential backoff (30 s doubling, at most an hour).
 * Returns how many were delivered and how many failed this round.
 */
export async function deliverDue(
  db: Db,
  options: { now: () => Date; fetch?: typeof fetch; limit?: number },
): Promise<{ delivered: number; failed: number }> {
  const send = options.fetch ?? fetch
  const start = options.now()
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'd.event_id', 'd.payload', 'd.attempts', 'w.url', 'w.secret'])
      .where('d.delivered_at', 'is', null)
      .where('d.attempts', '<', MAX_ATTEMPTS)
      .where('d.next_attempt_at', '<=', start)
      .where('w.active', '=', true)
      .orderBy('d.id')
      .limit(options.limit ?? 50)
      .forUpdate('d')
      .skipLocked()
      .execute()
    if (due.length > 0)
      await trx
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: new Date(start.getTime() + LEASE_MS) })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .execute()
    return due
  })
  let delivered = 0
  let failed = 0
  for (const d of claimed) {
    const body = JSON.stringify(d.payload)
    let status: number | undefined
    let error: string | undefined
    try {
      const res = await send(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-portal-event': d.event_id,
          'x-portal-signature': signature(d.secret, body),
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
      status = res.status
      if (!res.ok) error = `HTTP ${res.status}`
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause)
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
        next_attempt_at: new Date(at.getTime() + Math.min(3_600_000, 30_000 * 2 ** (attempts - 1))),
      })
      .where('id', '=', d.id)
      .execute()
  }
  return { delivered, failed }
}
