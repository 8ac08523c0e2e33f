import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Logger } from '../core/index.js'
import {
  deliverDue,
  listDeliveries,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
} from '../notifications/index.js'
import { useTestPlatform } from '../testing/index.js'
import { startReceiver } from './announcements-test-kit.js'

const platform = useTestPlatform({ backend: 'pglite', signIn: ['steward.dos', 'steward.moh'] })
const call = platform.call

/** Registers a receiver for an agency and queues one event for it, due now. */
async function queueDelivery(agency: string, url: string, allowPrivate = false) {
  const { db } = platform.runtime
  const now = new Date()
  const registered = await registerWebhook(
    db,
    { agency, url },
    `steward.${agency.toLowerCase()}`,
    now,
    { allowPrivate },
  )
  await db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: registered.webhook.id,
      event_id: `e_${randomUUID()}`,
      payload: JSON.stringify({ type: 'request.submitted' }),
      created_at: now,
      next_attempt_at: now,
    })
    .execute()
  return { id: registered.webhook.id, secret: registered.secret }
}

const lastDelivery = async (webhookId: string) =>
  (await listDeliveries(platform.runtime.db, webhookId))[0]

describe('webhook delivery to a receiver named in DNS', () => {
  it('sends nothing for a webhook disabled or deleted while its receiver name resolves', async () => {
    const own = await startReceiver({ failFirst: false })
    // The receiver's name resolves slowly enough for a steward's change to land meanwhile.
    let meanwhile: (() => Promise<unknown>) | undefined
    const resolve = async () => {
      const change = meanwhile
      meanwhile = undefined
      await change?.()
      return [{ address: '127.0.0.1' }]
    }
    const deliver = () =>
      deliverDue(platform.runtime.db, { now: () => new Date(), allowPrivate: true, resolve })
    const url = `http://receiver.dos.example.gov.sg:${own.port}/portal-events`
    try {
      // Disabled while the name resolves: nothing written, the delivery held with no attempt.
      const hook = await queueDelivery('DOS', url, true)
      meanwhile = () => call('PATCH', `/api/webhooks/${hook.id}`, 'steward.dos', { active: false })
      expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
      expect(meanwhile).toBeUndefined()
      expect(own.requests()).toBe(0)
      expect(own.received).toEqual([])
      expect(await lastDelivery(hook.id)).toMatchObject({
        attempts: 0,
        deliveredAt: null,
        lastError: null,
      })
      // Enabled again: it goes out, signed.
      await call('PATCH', `/api/webhooks/${hook.id}`, 'steward.dos', { active: true })
      expect(await deliver()).toEqual({ delivered: 1, failed: 0 })
      expect(own.received).toHaveLength(1)
      expect(own.received[0]?.headers['x-portal-signature']).toBe(
        signature(hook.secret, own.received[0]?.body ?? ''),
      )
      expect(await lastDelivery(hook.id)).toMatchObject({ attempts: 1, lastStatus: 204 })

      // Deleted while the name resolves: nothing written (with its deleted secret), nothing kept.
      const gone = await queueDelivery('DOS', url, true)
      meanwhile = () => call('DELETE', `/api/webhooks/${gone.id}`, 'steward.dos')
      expect(await deliver()).toEqual({ delivered: 0, failed: 0 })
      expect(meanwhile).toBeUndefined()
      expect(own.requests()).toBe(1)
      expect(own.received).toHaveLength(1)
      const outbox = await platform.runtime.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', '=', gone.id)
        .execute()
      expect(outbox).toEqual([])
    } finally {
      await own.close()
    }
  })

  it('says only "refused" of a receiver inside the network or not resolving at all', async () => {
    // Names as an agency's steward might register them; DNS answers as the network might give.
    const answers: Record<string, string[] | 'ENOTFOUND'> = {
      'intranet.moh.example.gov.sg': ['10.20.30.40'],
      'nowhere.moh.example.gov.sg': 'ENOTFOUND',
      'mixed.moh.example.gov.sg': ['8.8.4.4', '10.0.0.1'],
      'mapped.moh.example.gov.sg': ['::ffff:192.168.1.1'],
    }
    const asked: string[] = []
    const resolve = async (host: string) => {
      asked.push(host)
      const answer = answers[host]
      if (!answer || answer === 'ENOTFOUND')
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
      return answer.map((address) => ({ address }))
    }
    const warned: unknown[] = []
    const log = { warn: (fields: unknown) => warned.push(fields) } as unknown as Pick<
      Logger,
      'warn'
    >
    const hooks = new Map<string, { id: string; secret: string }>()
    for (const host of Object.keys(answers))
      hooks.set(host, await queueDelivery('MOH', `https://${host}/portal`))
    await deliverDue(platform.runtime.db, { now: () => new Date(), resolve, log })
    // Refused before any connection: each name was looked up by the check alone.
    expect(asked.sort()).toEqual(Object.keys(answers).sort())

    // A receiver that is down (a closed local port stands for it, so private ones are allowed).
    const closed = await startReceiver()
    await closed.close()
    hooks.set('down', await queueDelivery('MOH', closed.url, true))
    await deliverDue(platform.runtime.db, { now: () => new Date(), allowPrivate: true, log })

    const seen = new Map<string, { text: string; delivery: Record<string, unknown> }>()
    for (const [host, { id }] of hooks) {
      const res = await platform.app.request(`/api/webhooks/${id}/deliveries`, {
        headers: platform.as['steward.moh'],
      })
      const text = await res.text()
      const [delivery] = (JSON.parse(text) as { data: Record<string, unknown>[] }).data
      seen.set(host, { text, delivery: delivery ?? {} })
    }
    const shape = (host: string) => {
      const { attempts, lastStatus, lastError, deliveredAt } = seen.get(host)?.delivery ?? {}
      return { attempts, lastStatus, lastError, deliveredAt }
    }
    // Inside the network or not resolving at all: the same words, nothing else to tell apart.
    const refused = ['intranet', 'nowhere', 'mixed', 'mapped'].map((h) => `${h}.moh.example.gov.sg`)
    for (const host of refused)
      expect(shape(host)).toEqual({
        attempts: 1,
        lastStatus: null,
        lastError: REFUSED_DESTINATION,
        deliveredAt: null,
      })
    expect(shape('down').lastError).toBe('the receiver could not be reached')
    // The addresses themselves: a bare '10.' also matches a timestamp's seconds ("…:10.5Z").
    for (const { text } of seen.values())
      for (const leak of [
        '10.20.30.40',
        '10.0.0.1',
        '127.0.0.1',
        '192.168',
        '8.8.4.4',
        'private',
        'resolve',
        'ENOTFOUND',
        'ECONNREFUSED',
        'moh.',
      ])
        expect(text).not.toContain(leak)

    // The reason is in the server log, for operators; no secret is.
    const logged = JSON.stringify(warned)
    expect(logged).toContain('10.20.30.40')
    expect(logged).toContain('ENOTFOUND')
    for (const { secret } of hooks.values()) expect(logged).not.toContain(secret)
  })
})

describe('webhook connections', () => {
  it('connects only to the addresses it checked, so a name turning inside after the check reaches nothing', async () => {
    // DNS rebinding: the first answer (the check's) is public (and never connected to here: the
    // socket's answer is refused); every later one points inside.
    const inside = await startReceiver({ failFirst: false })
    try {
      const later: Record<string, string[]> = {
        'rebind.moh.example.gov.sg': ['127.0.0.1'],
        'rebind-mixed.moh.example.gov.sg': ['8.8.4.4', '127.0.0.1'],
        'rebind-metadata.moh.example.gov.sg': ['169.254.169.254'],
      }
      const asked = new Map<string, number>()
      const resolve = async (host: string) => {
        const calls = (asked.get(host) ?? 0) + 1
        asked.set(host, calls)
        return (calls === 1 ? ['8.8.8.8'] : (later[host] ?? [])).map((address) => ({
          address,
        }))
      }
      const warned: { fields: unknown; message: unknown }[] = []
      const log = {
        warn: (fields: unknown, message: unknown) => warned.push({ fields, message }),
      } as unknown as Pick<Logger, 'warn'>
      const hooks = new Map<string, string>()
      for (const host of Object.keys(later))
        hooks.set(host, (await queueDelivery('MOH', `https://${host}:${inside.port}/portal`)).id)

      await deliverDue(platform.runtime.db, { now: () => new Date(), resolve, log })
      // Nothing reached the receiver listening on 127.0.0.1, not even a connection.
      expect(inside.connections()).toBe(0)
      expect(inside.received).toEqual([])
      for (const [host, id] of hooks) {
        // Asked twice: by the check, then by the socket, whose answer was checked again.
        expect(asked.get(host)).toBe(2)
        const delivery = await lastDelivery(id)
        expect(delivery).toMatchObject({ attempts: 1, lastError: REFUSED_DESTINATION })
        expect(delivery?.lastStatus).toBeNull()
        expect(delivery?.deliveredAt).toBeNull()
      }
      const refusals = JSON.stringify(
        warned.filter((w) => w.message === 'webhook delivery refused').map((w) => w.fields),
      )
      for (const reason of ['127.0.0.1', '169.254.169.254', 'rebind-mixed'])
        expect(refusals).toContain(reason)
    } finally {
      await inside.close()
    }
  })

  it('signs what it sends to a receiver allowed inside, and follows no redirect nor reads its body', async () => {
    const target = await startReceiver({ failFirst: false })
    // Redirects to another receiver inside, with a body that never ends.
    const redirecting = await startReceiver({
      failFirst: false,
      answer: (res) => {
        res.writeHead(302, { location: target.url })
        const drip = setInterval(() => res.write('x'.repeat(16_384)), 5)
        res.on('close', () => clearInterval(drip))
      },
    })
    try {
      const hook = await queueDelivery('DOS', redirecting.url, true)
      const started = Date.now()
      await deliverDue(platform.runtime.db, { now: () => new Date(), allowPrivate: true })
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(target.connections()).toBe(0)
      const [sent] = redirecting.received
      expect(redirecting.received).toHaveLength(1)
      expect(sent?.headers['x-portal-signature']).toBe(signature(hook.secret, sent?.body ?? ''))
      expect(sent?.headers['content-type']).toBe('application/json')
      expect(await lastDelivery(hook.id)).toMatchObject({
        attempts: 1,
        lastStatus: 302,
        lastError: 'HTTP 302: redirects are not followed',
        deliveredAt: null,
      })
    } finally {
      await redirecting.close()
      await target.close()
    }
  })
})
