import { randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../core/index.js'
import {
  deliverDue,
  listDeliveries,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
} from '../notifications/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import { remindExpiringGrants } from './grant-reminders.js'

interface Answer<T> {
  data: T
  error: { message: string }
}

/**
 * A real receiver on localhost that fails its first delivery, as a flaky agency system might.
 * It counts every connection made to it, TLS or not, even one that never becomes a request, and
 * every request whose head arrived, even one whose body never did.
 */
function startReceiver({
  failFirst = true,
  answer = (res: ServerResponse) => void res.writeHead(204).end(),
} = {}) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = []
  let calls = 0
  let connections = 0
  let requests = 0
  const server: Server = createServer((req, res) => {
    requests++
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      calls++
      if (calls === 1 && failFirst) {
        res.writeHead(500).end('receiver down')
        return
      }
      received.push({ headers: req.headers, body })
      answer(res)
    })
  })
  server.on('connection', () => {
    connections++
  })
  return new Promise<{
    url: string
    port: number
    received: typeof received
    connections: () => number
    requests: () => number
    close: () => Promise<void>
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/portal-events`,
        port,
        received,
        connections: () => connections,
        requests: () => requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    }),
  )
}

describe('notifications and webhooks', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const as: Record<string, Record<string, string>> = {}
  const call = async <T>(method: string, path: string, who: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: {
        ...as[who],
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Answer<T> }
  }
  type Inbox = {
    unread: number
    notifications: {
      kind: string
      title: string
      link: string
      subjectId: string
      readAt?: string
    }[]
  }

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    receiver = await startReceiver()
    for (const who of ['officer.moh', 'officer.moe', 'steward.dos', 'steward.moh', 'admin'])
      as[who] = await signInAs(app, who)
  })
  afterAll(async () => {
    await receiver.close()
    await runtime.dispose()
  })
  /** Registers a receiver for an agency and queues one event for it, due now. */
  const queueDelivery = async (agency: string, url: string, allowPrivate = false) => {
    const now = new Date()
    const registered = await registerWebhook(
      runtime.db,
      { agency, url },
      `steward.${agency.toLowerCase()}`,
      now,
      { allowPrivate },
    )
    await runtime.db
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
  const lastDelivery = async (webhookId: string) => (await listDeliveries(runtime.db, webhookId))[0]

  it('tells stewards and requesters in their inbox, and the agency system by webhook', async () => {
    const hook = await call<{ id: string; secret: string }>(
      'POST',
      '/api/webhooks',
      'steward.dos',
      {
        url: receiver.url,
      },
    )
    expect(hook.status).toBe(201)
    expect(hook.body.data.secret).toMatch(/^whsec_/)
    // Outside tests only public https receivers are accepted: a webhook cannot probe the network.
    for (const [url, why] of [
      ['http://hooks.example.gov.sg/portal', 'must be https'],
      ['https://localhost/portal', 'must be a public address'],
      ['https://10.1.2.3/portal', 'must be a public address'],
      ['https://[::1]/portal', 'must be a public address'],
      ['https://2130706433/portal', 'must be a public address'],
      ['https://[::ffff:169.254.169.254]/portal', 'must be a public address'],
      ['https://[64:ff9b::a01:203]/portal', 'must be a public address'],
      ['https://198.51.100.7/portal', 'must be a public address'],
      ['https://user:pw@hooks.example.gov.sg/portal', 'must not carry a user name'],
    ] as const)
      await expect(
        registerWebhook(runtime.db, { agency: 'DOS', url }, 'steward.dos', new Date()),
      ).rejects.toThrow(why)

    const created = await call<{ id: string }>('POST', '/api/requests', 'officer.moh', {
      dataset: 'person-address-pa',
      purpose: 'Plan polyclinic capacity by planning area and age band',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    const id = created.body.data.id
    const stewardInbox = await call<Inbox>('GET', '/api/notifications', 'steward.dos')
    expect(stewardInbox.body.data.notifications[0]).toMatchObject({
      kind: 'request.submitted',
      title: 'officer.moh (MOH) requests Persons by residential planning area',
      link: `/requests/${id}`,
    })
    // Nobody is told of their own step (the seeded history's notices are all read).
    const officerInbox = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(officerInbox.body.data.notifications.filter((n) => n.subjectId === id)).toEqual([])
    expect(officerInbox.body.data.notifications.filter((n) => !n.readAt)).toEqual([])

    await call('POST', `/api/requests/${id}/approve`, 'steward.dos', {
      expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    })
    const told = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(told.body.data.unread).toBe(1)
    expect(told.body.data.notifications[0]).toMatchObject({
      kind: 'request.approved',
      subjectId: id,
    })
    expect(told.body.data.notifications[0]?.readAt).toBeUndefined()
    const marked = await call<{ marked: number }>(
      'POST',
      '/api/notifications/read',
      'officer.moh',
      {},
    )
    expect(marked.body.data.marked).toBe(1)
    expect((await call<Inbox>('GET', '/api/notifications', 'officer.moh')).body.data.unread).toBe(0)

    // The first delivery fails; it is retried after its backoff, and nothing is lost.
    const t0 = new Date()
    expect(await deliverDue(runtime.db, { now: () => t0, allowPrivate: true })).toEqual({
      delivered: 1,
      failed: 1,
    })
    expect(await deliverDue(runtime.db, { now: () => t0, allowPrivate: true })).toEqual({
      delivered: 0,
      failed: 0,
    })
    const later = new Date(t0.getTime() + 61_000)
    expect(await deliverDue(runtime.db, { now: () => later, allowPrivate: true })).toEqual({
      delivered: 1,
      failed: 0,
    })
    const events = receiver.received.map((r) => JSON.parse(r.body) as { type: string; id: string })
    expect(events.map((e) => e.type).sort()).toEqual(['request.approved', 'request.submitted'])
    for (const r of receiver.received) {
      expect(r.headers['x-portal-signature']).toBe(signature(hook.body.data.secret, r.body))
      expect(r.headers['x-portal-event']).toBe((JSON.parse(r.body) as { id: string }).id)
    }
    const deliveries = await call<
      { attempts: number; deliveredAt: string | null; lastStatus: number }[]
    >('GET', `/api/webhooks/${hook.body.data.id}/deliveries`, 'steward.dos')
    expect(deliveries.body.data.map((d) => d.attempts).sort()).toEqual([1, 2])
    expect(deliveries.body.data.every((d) => d.deliveredAt !== null)).toBe(true)

    // Access ending within five working days is announced once, however often the sweep runs.
    const calendar = createWorkingDayCalendar()
    expect(await remindExpiringGrants(runtime.db, calendar, new Date())).toBe(1)
    expect(await remindExpiringGrants(runtime.db, calendar, new Date())).toBe(0)
    const reminded = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(reminded.body.data.notifications[0]).toMatchObject({ kind: 'grant.expiring' })
  })

  it('holds deliveries while a webhook is disabled, and deletes it with its outbox', async () => {
    const own = await startReceiver({ failFirst: false })
    const deliver = () => deliverDue(runtime.db, { now: () => new Date(), allowPrivate: true })
    type Deliveries = { type: string; attempts: number; deliveredAt?: string }[]
    try {
      const hook = await call<{ id: string }>('POST', '/api/webhooks', 'steward.dos', {
        url: `${own.url}?token=receiver-secret`,
      })
      const id = hook.body.data.id
      const request = await call<{ id: string }>('POST', '/api/requests', 'officer.moe', {
        dataset: 'business-by-planning-area',
        purpose: 'Plan school bus routes by planning area',
        legalBasis: 'PSGA 2018 s. 25',
        durationDays: 30,
      })
      expect(request.status).toBe(201)

      // Nobody else touches it: not another agency's steward, not an officer (404, as reading).
      for (const who of ['steward.moh', 'officer.moe']) {
        expect((await call('PATCH', `/api/webhooks/${id}`, who, { active: false })).status).toBe(
          404,
        )
        expect((await call('DELETE', `/api/webhooks/${id}`, who)).status).toBe(404)
      }
      expect((await call('PATCH', `/api/webhooks/${id}`, 'steward.dos', {})).status).toBe(400)

      // Disabled: what was queued is held, and nothing new is queued.
      const off = await call<{ active: boolean }>('PATCH', `/api/webhooks/${id}`, 'steward.dos', {
        active: false,
      })
      expect(off.status).toBe(200)
      expect(off.body.data.active).toBe(false)
      await deliver()
      expect(own.received).toHaveLength(0)
      await call('POST', `/api/requests/${request.body.data.id}/ask-info`, 'steward.dos', {
        question: 'Which schools are in scope?',
      })
      await deliver()
      expect(own.received).toHaveLength(0)
      const held = await call<Deliveries>('GET', `/api/webhooks/${id}/deliveries`, 'steward.dos')
      expect(held.body.data).toMatchObject([{ type: 'request.submitted', attempts: 0 }])

      // Enabled again: the held delivery goes out.
      const on = await call<{ active: boolean }>('PATCH', `/api/webhooks/${id}`, 'steward.dos', {
        active: true,
      })
      expect(on.body.data.active).toBe(true)
      await deliver()
      expect(own.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
        'request.submitted',
      ])

      // Deleted: gone with its outbox (one delivery still pending), and audited.
      await call('POST', `/api/requests/${request.body.data.id}/resubmit`, 'officer.moe', {
        answer: 'Primary schools in the west',
      })
      const deleted = await call<{ id: string; droppedPending: number }>(
        'DELETE',
        `/api/webhooks/${id}`,
        'steward.dos',
      )
      expect(deleted.status).toBe(200)
      expect(deleted.body.data).toEqual({ id, droppedPending: 1 })
      await deliver()
      expect(own.received).toHaveLength(1)
      const listed = await call<{ id: string }[]>('GET', '/api/webhooks', 'steward.dos')
      expect(listed.body.data.map((w) => w.id)).not.toContain(id)
      expect((await call('GET', `/api/webhooks/${id}/deliveries`, 'steward.dos')).status).toBe(404)
      expect((await call('DELETE', `/api/webhooks/${id}`, 'steward.dos')).status).toBe(404)
      expect((await call('PATCH', `/api/webhooks/${id}`, 'admin', { active: true })).status).toBe(
        404,
      )
      const outbox = await runtime.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', '=', id)
        .execute()
      expect(outbox).toEqual([])
      const trail = (await runtime.audit.list({ limit: 100 }))
        .filter((e) => e.subjectId === id)
        .reverse()
      expect(trail.map((e) => [e.action, e.actor])).toEqual([
        ['webhook.create', 'steward.dos'],
        ['webhook.disable', 'steward.dos'],
        ['webhook.enable', 'steward.dos'],
        ['webhook.delete', 'steward.dos'],
      ])
      expect(trail.at(-1)?.details).toEqual({
        agency: 'DOS',
        url: own.url,
        droppedPending: 1,
      })
      expect(JSON.stringify(trail)).not.toContain('receiver-secret')
    } finally {
      await own.close()
    }
  })

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
      deliverDue(runtime.db, { now: () => new Date(), allowPrivate: true, resolve })
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
        deliveredAt: undefined,
        lastError: undefined,
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
      const outbox = await runtime.db
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
    await deliverDue(runtime.db, { now: () => new Date(), resolve, log })
    // Refused before any connection: each name was looked up by the check alone.
    expect(asked.sort()).toEqual(Object.keys(answers).sort())

    // A receiver that is down (a closed local port stands for it, so private ones are allowed).
    const closed = await startReceiver()
    await closed.close()
    hooks.set('down', await queueDelivery('MOH', closed.url, true))
    await deliverDue(runtime.db, { now: () => new Date(), allowPrivate: true, log })

    const seen = new Map<string, { text: string; delivery: Record<string, unknown> }>()
    for (const [host, { id }] of hooks) {
      const res = await app.request(`/api/webhooks/${id}/deliveries`, {
        headers: as['steward.moh'],
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
        lastStatus: undefined,
        lastError: REFUSED_DESTINATION,
        deliveredAt: undefined,
      })
    expect(shape('down').lastError).toBe('the receiver could not be reached')
    for (const { text } of seen.values())
      for (const leak of [
        '10.',
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

      await deliverDue(runtime.db, { now: () => new Date(), resolve, log })
      // Nothing reached the receiver listening on 127.0.0.1, not even a connection.
      expect(inside.connections()).toBe(0)
      expect(inside.received).toEqual([])
      for (const [host, id] of hooks) {
        // Asked twice: by the check, then by the socket, whose answer was checked again.
        expect(asked.get(host)).toBe(2)
        const delivery = await lastDelivery(id)
        expect(delivery).toMatchObject({ attempts: 1, lastError: REFUSED_DESTINATION })
        expect(delivery?.lastStatus).toBeUndefined()
        expect(delivery?.deliveredAt).toBeUndefined()
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
      await deliverDue(runtime.db, { now: () => new Date(), allowPrivate: true })
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
        deliveredAt: undefined,
      })
    } finally {
      await redirecting.close()
      await target.close()
    }
  })
})
