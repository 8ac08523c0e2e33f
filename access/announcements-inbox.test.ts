import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliverDue, registerWebhook, signature } from '../notifications/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { useTestPlatform } from '../testing/index.js'
import { type Receiver, startReceiver } from './announcements-test-kit.js'
import { remindExpiringGrants } from './grant-reminders.js'

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moh', 'officer.moe', 'steward.dos', 'steward.moh', 'admin'],
})
const call = platform.call

type Inbox = {
  unread: number
  notifications: {
    kind: string
    title: string
    link: string
    subjectId: string
    readAt: string | null
  }[]
}

describe('notifications and webhooks', () => {
  let receiver: Receiver
  beforeAll(async () => {
    receiver = await startReceiver()
  })
  afterAll(() => receiver.close())

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
        registerWebhook(platform.runtime.db, { agency: 'DOS', url }, 'steward.dos', new Date()),
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
    // Nobody is told of their own step but the requester's receipt (the seeded history's
    // notices are all read).
    const officerInbox = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(officerInbox.body.data.notifications.filter((n) => n.subjectId === id)).toMatchObject([
      {
        kind: 'request.received',
        title: 'Your request for Persons by residential planning area is with the stewards',
      },
    ])
    await call('POST', '/api/notifications/read', 'officer.moh', {})

    await call('POST', `/api/requests/${id}/approve`, 'steward.dos', {
      expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
    })
    const told = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(told.body.data.unread).toBe(1)
    expect(told.body.data.notifications[0]).toMatchObject({
      kind: 'request.approved',
      subjectId: id,
    })
    expect(told.body.data.notifications[0]?.readAt).toBeNull()
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
    expect(await deliverDue(platform.runtime.db, { now: () => t0, allowPrivate: true })).toEqual({
      delivered: 1,
      failed: 1,
    })
    expect(await deliverDue(platform.runtime.db, { now: () => t0, allowPrivate: true })).toEqual({
      delivered: 0,
      failed: 0,
    })
    const later = new Date(t0.getTime() + 61_000)
    expect(await deliverDue(platform.runtime.db, { now: () => later, allowPrivate: true })).toEqual(
      {
        delivered: 1,
        failed: 0,
      },
    )
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
    expect(await remindExpiringGrants(platform.runtime.db, calendar, new Date())).toBe(1)
    expect(await remindExpiringGrants(platform.runtime.db, calendar, new Date())).toBe(0)
    const reminded = await call<Inbox>('GET', '/api/notifications', 'officer.moh')
    expect(reminded.body.data.notifications[0]).toMatchObject({ kind: 'grant.expiring' })
  })
})

describe('webhooks a steward manages', () => {
  it('holds deliveries while a webhook is disabled, and deletes it with its outbox', async () => {
    const own = await startReceiver({ failFirst: false })
    const deliver = () =>
      deliverDue(platform.runtime.db, { now: () => new Date(), allowPrivate: true })
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
      for (const who of ['steward.moh', 'officer.moe'] as const) {
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
      const outbox = await platform.runtime.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', '=', id)
        .execute()
      expect(outbox).toEqual([])
      const trail = (await platform.runtime.audit.list({ limit: 100 }))
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
})
