import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverDue, registerWebhook, remindExpiringGrants, signature } from '../catalog/index.js'
import { createWorkingDayCalendar } from '../core/index.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from './test-runtime.js'

interface Answer<T> {
  data: T
  error: { message: string }
}

/** A real receiver on localhost that fails its first delivery, as a flaky agency system might. */
function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = []
  let calls = 0
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      calls++
      if (calls === 1) {
        res.writeHead(500).end('receiver down')
        return
      }
      received.push({ headers: req.headers, body })
      res.writeHead(204).end()
    })
  })
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/portal-events`,
          received,
          close: () => new Promise((done) => server.close(() => done())),
        }),
      ),
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
    for (const who of ['officer.moh', 'steward.dos']) as[who] = await signInAs(app, who)
  })
  afterAll(async () => {
    await receiver.close()
    await runtime.dispose()
  })

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
})
