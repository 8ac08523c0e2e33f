import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

const officer = 'officer.moh'
const steward = 'steward.dos'
const platform = useTestPlatform({ backend: 'pglite', signIn: [officer, steward] })
const call = platform.call

describe('data-sharing workflow through the API', () => {
  it('takes a request from submission to a grant the query path sees, then revokes it', async () => {
    const bad = await call('POST', '/api/requests', officer, {
      dataset: 'person-address-pa',
      purpose: 'short',
      durationDays: 0,
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('purpose: say what the data is for')
    expect(bad.body.error.message).toContain('legalBasis')
    expect(bad.body.error.message).toContain('durationDays')

    const created = await call<{ id: string; status: string; allowedActions: string[] }>(
      'POST',
      '/api/requests',
      officer,
      {
        dataset: 'person-address-pa',
        columns: ['planning_area_code', 'age_band', 'sex'],
        purpose: 'Plan polyclinic capacity by planning area and age band',
        legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
        durationDays: 60,
        project: { name: 'Polyclinic capacity 2027', partnerAgencies: ['DOS'] },
      },
    )
    expect(created.status).toBe(201)
    expect(created.body.data).toMatchObject({
      status: 'submitted',
      allowedActions: ['amend', 'withdraw'],
    })
    const id = created.body.data.id

    const queue = await call<
      { id: string; allowedActions: string[]; serviceLevel: { limit: number; status: string } }[]
    >('GET', '/api/requests?status=submitted&status=needs-info', steward)
    expect(queue.body.data.find((r) => r.id === id)).toMatchObject({
      allowedActions: ['approve', 'reject', 'ask-info'],
      serviceLevel: { limit: 7, status: 'on-track' },
    })

    const unknownColumn = await call('POST', `/api/requests/${id}/approve`, steward, {
      rowFilter: [{ column: 'postcode', op: 'eq', value: '018956' }],
    })
    expect(unknownColumn.status).toBe(400)
    expect(unknownColumn.body.error.message).toMatch(
      /^columns: no column 'postcode' in this dataset/,
    )

    const approved = await call<{ status: string; grant: { id: string; columns: string[] } }>(
      'POST',
      `/api/requests/${id}/approve`,
      steward,
      {
        columns: ['planning_area_code', 'age_band'],
        rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
      },
    )
    expect(approved.status).toBe(200)
    expect(approved.body.data).toMatchObject({
      status: 'active',
      grant: { columns: ['planning_area_code', 'age_band'] },
    })
    const again = await call('POST', `/api/requests/${id}/approve`, steward, {})
    expect(again.status).toBe(409)
    expect(again.body.error.message).toBe(
      'Cannot approve a request that is approved: it is closed; nothing more can be done',
    )

    type Entitlements = { basis: string; dataset: { slug: string }; columns: string[] | null }[]
    const granted = await call<Entitlements>('GET', '/api/entitlements', officer)
    expect(
      granted.body.data.find((e) => e.basis === 'grant' && e.dataset.slug === 'person-address-pa'),
    ).toMatchObject({ columns: ['planning_area_code', 'age_band'] })

    // Who holds access to the dataset, and why.
    const holders = await call<{ grantee: { username: string }; purpose: string }[]>(
      'GET',
      '/api/grants?dataset=person-address-pa&status=active',
      steward,
    )
    expect(holders.body.data).toEqual([
      expect.objectContaining({
        grantee: expect.objectContaining({ username: 'officer.moh' }),
        purpose: 'Plan polyclinic capacity by planning area and age band',
      }),
    ])

    const grantId = approved.body.data.grant.id
    const revoked = await call('POST', `/api/grants/${grantId}/revoke`, steward, {
      reason: 'The project ended early',
    })
    expect(revoked.status).toBe(200)
    const after = await call<Entitlements>('GET', '/api/entitlements', officer)
    expect(after.body.data.some((e) => e.basis === 'grant')).toBe(false)

    const trail = await platform.runtime.audit.list({ limit: 20 })
    expect(trail.map((e) => e.action)).toEqual(
      expect.arrayContaining(['request.submit', 'request.approve', 'grant.revoke']),
    )
    const mine = await call<{ status: string; history: { action: string }[] }>(
      'GET',
      `/api/requests/${id}`,
      officer,
    )
    expect(mine.body.data.status).toBe('revoked')
    expect(mine.body.data.history.map((h) => h.action)).toEqual(['submit', 'approve', 'revoke'])
  })

  it('lets the requester answer a question and withdraw, and nobody else', async () => {
    const created = await call<{ id: string }>('POST', '/api/requests', officer, {
      dataset: 'business-by-planning-area',
      purpose: 'Map clinics against business density by planning area',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    const id = created.body.data.id
    const duplicate = await call('POST', '/api/requests', officer, {
      dataset: 'business-by-planning-area',
      purpose: 'Map clinics against business density by planning area',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.body.error.message).toMatch(
      /^You already have a request for .+ waiting for the stewards \(your request of \d{1,2} \w{3} \d{4}\): amend it or withdraw it rather than sending another$/,
    )
    expect(duplicate.body.error.message).not.toContain(id)

    await call('POST', `/api/requests/${id}/ask-info`, steward, {
      question: 'Which industries matter for the clinics?',
    })
    const answered = await call<{ status: string; question: string | null }>(
      'POST',
      `/api/requests/${id}/resubmit`,
      officer,
      {
        answer: 'Food and beverage, and retail',
        changes: { purpose: 'Map clinics against food and retail businesses by planning area' },
      },
    )
    expect(answered.body.data).toMatchObject({ status: 'submitted' })
    const byOther = await call('POST', `/api/requests/${id}/withdraw`, steward, {})
    expect(byOther.status).toBe(403)
    const withdrawn = await call<{ status: string; allowedActions: string[] }>(
      'POST',
      `/api/requests/${id}/withdraw`,
      officer,
      {},
    )
    expect(withdrawn.body.data).toMatchObject({ status: 'withdrawn', allowedActions: [] })
  })
})
