import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

// A steward's agency view: every request and grant of the agency, filtered; usage per grant.
const officer = 'officer.moh'
const stewardDos = 'steward.dos'
const stewardMoh = 'steward.moh'
const platform = useTestPlatform({
  backend: 'pglite',
  signIn: [officer, stewardDos, stewardMoh, 'admin'],
})
const call = platform.call

const DAY_MS = 86_400_000
const ask = (dataset: string, durationDays = 120, columns?: string[]) =>
  call<{ id: string }>('POST', '/api/requests', officer, {
    dataset,
    ...(columns && { columns }),
    purpose: `Plan community health services with ${dataset}`,
    legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
    durationDays,
  })

interface Usage {
  queries: number
  downloads: number
  lastUsedAt: string | null
}
interface GrantSeen {
  id: string
  dataset: { slug: string; agency: string }
  grantee: { username: string }
  expiresAt: string
  rowFilter: unknown[]
  usage: Usage
}
interface RequestSeen {
  id: string
  status: string
  dataset: { slug: string; agency: string }
  requester: { username: string }
  approvals: unknown[]
}

describe("a steward's agency view through the API", () => {
  it('lists grants with their usage after a real query and download by the grantee', async () => {
    const created = await ask('person-address-pa', 60)
    expect(created.status).toBe(201)
    const soon = new Date(Date.now() + 10 * DAY_MS).toISOString()
    const approved = await call<{ grant: { id: string } }>(
      'POST',
      `/api/requests/${created.body.data.id}/approve`,
      stewardDos,
      {
        rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
        expiresAt: soon,
      },
    )
    expect(approved.status).toBe(200)
    const grantId = approved.body.data.grant.id

    const fresh = await call<GrantSeen[]>('GET', `/api/grants?grantee=OFFICER.M`, stewardDos)
    expect(fresh.body.data.find((g) => g.id === grantId)?.usage).toEqual({
      queries: 0,
      downloads: 0,
      lastUsedAt: null,
    })

    const query = await call('POST', '/api/query', officer, {
      sql: 'SELECT count(*) AS n FROM person_address_pa',
      format: 'json',
    })
    expect(query.status).toBe(200)
    // A query of a dataset not under the grant counts towards no grant.
    const res = await platform.app.request(
      '/api/datasets/person-address-pa/versions/1/extract?format=csv',
      { headers: platform.as[officer] },
    )
    expect(res.status).toBe(200)
    await res.arrayBuffer()

    // The download is counted once its body has been read to the end, in the background.
    let usage: Usage | undefined
    for (let tries = 0; tries < 50; tries++) {
      const grants = await call<GrantSeen[]>('GET', `/api/grants?grantee=officer.moh`, stewardDos)
      usage = grants.body.data.find((g) => g.id === grantId)?.usage
      if (usage?.downloads === 1) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(usage).toEqual({ queries: 1, downloads: 1, lastUsedAt: expect.any(String) })

    const expiring = await call<GrantSeen[]>('GET', '/api/grants?expiringWithinDays=30', stewardDos)
    expect(expiring.status).toBe(200)
    expect(expiring.body.data.map((g) => g.id)).toContain(grantId)
    expect(
      expiring.body.data.every(
        (g) =>
          g.dataset.agency === 'DOS' && new Date(g.expiresAt).getTime() <= Date.now() + 30 * DAY_MS,
      ),
    ).toBe(true)
    const later = await call<GrantSeen[]>('GET', '/api/grants?expiringWithinDays=5', stewardDos)
    expect(later.body.data.map((g) => g.id)).not.toContain(grantId)

    const byOther = await call<GrantSeen[]>('GET', '/api/grants?grantee=officer.moh', stewardMoh)
    expect(byOther.body.data.map((g) => g.id)).not.toContain(grantId)

    const paged = await call<GrantSeen[]>('GET', '/api/grants?limit=1', stewardDos)
    expect(paged.body.data).toHaveLength(1)
    const tooMany = await call('GET', '/api/grants?limit=1001', stewardDos)
    expect(tooMany.status).toBe(400)
  })

  it("shows a requester's history to a steward on the steward's agency's datasets only", async () => {
    const onDos = await ask('business-by-planning-area')
    const onGovtech = await ask('government-systems-register')
    expect([onDos.status, onGovtech.status]).toEqual([201, 201])

    const seen = await call<RequestSeen[]>('GET', '/api/requests?requester=officer.moh', stewardDos)
    expect(seen.status).toBe(200)
    const ids = seen.body.data.map((r) => r.id)
    expect(ids).toContain(onDos.body.data.id)
    expect(ids).not.toContain(onGovtech.body.data.id)
    expect(seen.body.data.every((r) => r.dataset.agency === 'DOS')).toBe(true)
    expect(seen.body.data.every((r) => r.requester.username === 'officer.moh')).toBe(true)

    // Administrators see every agency's.
    const all = await call<RequestSeen[]>('GET', '/api/requests?requester=officer.moh', 'admin')
    expect(all.body.data.map((r) => r.id)).toEqual(
      expect.arrayContaining([onDos.body.data.id, onGovtech.body.data.id]),
    )
    const govtechOnly = await call<RequestSeen[]>(
      'GET',
      '/api/requests?requester=officer.moh&agency=GOVTECH',
      'admin',
    )
    expect(govtechOnly.body.data.map((r) => r.id)).toContain(onGovtech.body.data.id)
    expect(govtechOnly.body.data.every((r) => r.dataset.agency === 'GOVTECH')).toBe(true)

    const filtered = await call<RequestSeen[]>(
      'GET',
      '/api/requests?status=submitted&dataset=business-by-planning-area&requester=moh',
      stewardDos,
    )
    expect(filtered.body.data.map((r) => r.id)).toEqual([onDos.body.data.id])
    const nobody = await call<RequestSeen[]>('GET', '/api/requests?requester=%25', stewardDos)
    expect(nobody.body.data).toEqual([])
  })

  it('lists requests approved once and awaiting a second steward', async () => {
    const created = await ask('chronic-disease-registry')
    expect(created.status).toBe(201)
    const id = created.body.data.id
    const awaiting = () =>
      call<RequestSeen[]>('GET', '/api/requests?status=awaiting-second-approval', stewardMoh)
    expect((await awaiting()).body.data.map((r) => r.id)).not.toContain(id)

    const first = await call<{ status: string }>(
      'POST',
      `/api/requests/${id}/approve`,
      stewardMoh,
      {},
    )
    expect(first.body.data.status).toBe('submitted')
    const listed = await awaiting()
    expect(listed.body.data.map((r) => r.id)).toEqual([id])
    expect(listed.body.data[0]?.approvals).toHaveLength(1)
    // DOS stewards do not see MOH's.
    const dos = await call<RequestSeen[]>(
      'GET',
      '/api/requests?status=awaiting-second-approval',
      stewardDos,
    )
    expect(dos.body.data).toEqual([])
  })
})
