import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

const officer = 'officer.moe'
const steward = 'steward.dos'
type Who = typeof officer | typeof steward | 'officer.moh' | 'steward.sla'
const platform = useTestPlatform({
  backend: 'pglite',
  signIn: [officer, 'officer.moh', steward, 'steward.sla'],
})
const call = platform.call

type Notice = { kind: string; title: string; body: string; subjectId: string }
type Request = {
  id: string
  state: string
  status: string
  columns: string[] | null
  purpose: string
  durationDays: number
  allowedActions: string[]
  serviceLevel: { workingDays: number; status: string; due: string | null }
  history: { action: string; from: string | null; to: string; details: Record<string, unknown> }[]
}

const TITLE = 'Persons by residential planning area'
const ask = (who: Who, changes: Record<string, unknown> = {}) =>
  call<Request>('POST', '/api/requests', who, {
    dataset: 'person-address-pa',
    purpose: 'Plan school bus routes by planning area and age band',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
    ...changes,
  })
const noticesOf = async (who: Who, requestId: string) =>
  (
    await call<{ notifications: Notice[] }>('GET', '/api/notifications', who)
  ).body.data.notifications
    .filter((n) => n.subjectId === requestId)
    .map(({ kind, title, body }) => ({ kind, title, body }))

describe('the requester hears of every step', () => {
  it('receives a request: a receipt for the requester, the request for the stewards', async () => {
    const sent = await ask('officer.moh')
    expect(sent.status).toBe(201)
    const id = sent.body.data.id
    const [receipt] = await noticesOf('officer.moh', id)
    expect(receipt).toMatchObject({
      kind: 'request.received',
      title: `Your request for ${TITLE} is with the stewards`,
    })
    expect(receipt?.body).toMatch(
      /^Sent \d{1,2} \w{3} \d{4}\. The stewards of DOS decide within 7 working days\. You will be told of each step\.$/,
    )
    expect(await noticesOf(steward, id)).toEqual([
      {
        kind: 'request.submitted',
        title: `officer.moh (MOH) requests ${TITLE}`,
        body: 'Plan school bus routes by planning area and age band',
      },
    ])

    // A second request while one waits is refused in words: the dataset, the day, no id.
    const again = await ask('officer.moh')
    expect(again.status).toBe(409)
    expect(again.body.error.message).toMatch(
      new RegExp(
        `^You already have a request for ${TITLE} waiting for the stewards \\(your request of \\d{1,2} \\w{3} \\d{4}\\): amend it or withdraw it rather than sending another$`,
      ),
    )
    expect(again.body.error.message).not.toContain(id)

    // The approval names the grant's terms: columns, rows in words, masking and the end.
    const approved = await call('POST', `/api/requests/${id}/approve`, steward, {
      columns: ['person_key', 'planning_area_code', 'age_band'],
      rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
      expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    })
    expect(approved.status).toBe(200)
    const [told] = await noticesOf('officer.moh', id)
    expect(told).toMatchObject({
      kind: 'request.approved',
      title: `Your request for ${TITLE} is approved`,
    })
    expect(told?.body).toMatch(
      /^Columns: person_key, planning_area_code, age_band\. Rows where planning_area_code is BEDOK or TAMPINES\. Masked: person_key\. Until \d{1,2} \w{3} \d{4}\.$/,
    )
  })
})

describe('amending a request while it waits', () => {
  it('lets the requester amend, audited, stewards told, the clock running on', async () => {
    const sent = await ask(officer, { columns: ['planning_area_code', 'age_band'] })
    expect(sent.status).toBe(201)
    const id = sent.body.data.id
    expect(sent.body.data.allowedActions).toEqual(['amend', 'withdraw'])
    const before = sent.body.data.serviceLevel

    // Nobody else amends it: a steward may read it but not change it; another officer sees nothing.
    const changes = { changes: { columns: null, durationDays: 60 } }
    expect((await call('POST', `/api/requests/${id}/amend`, steward, changes)).status).toBe(403)
    expect((await call('POST', `/api/requests/${id}/amend`, 'officer.moh', changes)).status).toBe(
      404,
    )
    const nothing = await call('POST', `/api/requests/${id}/amend`, officer, { changes: {} })
    expect(nothing.status).toBe(400)
    expect(nothing.body.error.message).toContain('say what changes')

    const amended = await call<Request>('POST', `/api/requests/${id}/amend`, officer, changes)
    expect(amended.status).toBe(200)
    expect(amended.body.data).toMatchObject({
      state: 'submitted',
      columns: null,
      durationDays: 60,
      serviceLevel: before,
    })
    expect(amended.body.data.history.at(-1)).toEqual({
      at: expect.any(String),
      actor: officer,
      action: 'amend',
      from: 'submitted',
      to: 'submitted',
      details: { changed: ['columns', 'durationDays'], columns: null, durationDays: 60 },
    })
    const [audited] = (await platform.runtime.audit.list({ limit: 20 })).filter(
      (e) => e.subjectId === id && e.action === 'request.amend',
    )
    expect(audited).toMatchObject({ actor: officer, outcome: 'succeeded' })
    expect(await noticesOf(steward, id)).toContainEqual({
      kind: 'request.amended',
      title: `officer.moe amended the request for ${TITLE}`,
      body: 'Changed: columns, duration.',
    })
    // Stewards of another agency are not told.
    expect(await noticesOf('steward.sla', id)).toEqual([])

    // Asked for information, it can still be amended, and stays asked.
    await call('POST', `/api/requests/${id}/ask-info`, steward, { question: 'Which schools?' })
    const purpose = { changes: { purpose: 'Plan primary school bus routes in the east' } }
    const asked = await call<Request>('POST', `/api/requests/${id}/amend`, officer, purpose)
    expect(asked.status).toBe(200)
    expect(asked.body.data).toMatchObject({ state: 'needs-info', purpose: purpose.changes.purpose })

    // Decided, it is closed: nothing to amend.
    await call('POST', `/api/requests/${id}/reject`, steward, { reason: 'Use the open statistics' })
    const late = await call('POST', `/api/requests/${id}/amend`, officer, changes)
    expect(late.status).toBe(409)
    expect(late.body.error.message).toBe(
      'Cannot amend a request that is rejected: it is closed; nothing more can be done',
    )
  })
})
