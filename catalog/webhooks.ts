import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
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
  /** Deliveries waiting, delivered, and failing (10 attempts or more, still retried). */
  deliveries: { pending: number; delivered: number; failing: number }
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

/** After this many failed attempts a delivery is reported as failing (and still retried, hourly). */
export const MAX_ATTEMPTS = 10
const TIMEOUT_MS = 10_000

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

/** Loopback, private, link-local and carrier-grade NAT ranges: never a government receiver. */
const PRIVATE = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6')

function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  if (mapped) return PRIVATE.check(mapped, 'ipv4')
  const family = isIP(address)
  return family === 4
    ? PRIVATE.check(address, 'ipv4')
    : family === 6 && PRIVATE.check(address, 'ipv6')
}

/**
 * Why a receiver URL is refused, if it is: not https, credentials in it, or an address inside
 * the network the server sits in (so a webhook cannot be used to probe it).
 */
function unsafeUrl(url: URL, allowPrivate: boolean): string | undefined {
  if (allowPrivate)
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : 'must be http(s)'
  if (url.protocol !== 'https:') return 'must be https'
  if (url.username || url.password) return 'must not carry a user name or password'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))
    return 'must be a public address, not loopback or a private network'
  return undefined
}

/** At delivery time the name is resolved again: a public name may point inside since. */
async function unsafeTarget(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  const refusal = unsafeUrl(url, allowPrivate)
  if (refusal || allowPrivate) return refusal
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) return undefined
  const addresses = await lookup(host, { all: true })
  return addresses.some((a) => isPrivateAddress(a.address))
    ? `refused: ${host} resolves to a private address`
    : undefined
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
    deliveredAt: r.delivered_at ?? undefined,
    nextAttemptAt: r.delivered_at === null ? r.next_attempt_at : undefined,
    lastStatus: r.last_status ?? undefined,
    lastError: r.last_error ?? undefined,
  }))
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
 */
export async function deliverDue(
  db: Db,
  options: {
    now: () => Date
    fetch?: typeof fetch
    limit?: number
    /** Allow plain-http, loopback and private receivers (tests, local demos). */
    allowPrivate?: boolean
  },
): Promise<{ delivered: number; failed: number }> {
  const send = options.fetch ?? fetch
  const limit = options.limit ?? 20
  const start = options.now()
  const token = randomUUID()
  const lease = limit * (TIMEOUT_MS + 1_000) + 30_000
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'd.event_id', 'd.payload', 'd.attempts', 'w.url', 'w.secret'])
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
  let delivered = 0
  let failed = 0
  for (const d of claimed) {
    const body = JSON.stringify(d.payload)
    let status: number | undefined
    let error: string | undefined
    try {
      error = await unsafeTarget(new URL(d.url), Boolean(options.allowPrivate))
      if (!error) {
        const res = await send(d.url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/json',
            'x-portal-event': d.event_id,
            'x-portal-signature': signature(d.secret, body),
          },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
        status = res.status
        if (res.status >= 300 && res.status < 400)
          error = `HTTP ${res.status}: redirects are not followed`
        else if (!res.ok) error = `HTTP ${res.status}`
      }
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
        claim_token: null,
        next_attempt_at: new Date(at.getTime() + Math.min(3_600_000, 30_000 * 2 ** (attempts - 1))),
      })
      .where('id', '=', d.id)
      .where('claim_token', '=', token)
      .execute()
  }
  return { delivered, failed }
}
