import { beforeAll, describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

const USERS = ['officer.moe', 'officer.moh', 'steward.dos', 'leader.mddi'] as const
const platform = useTestPlatform({ backend: 'pglite', signIn: USERS })

beforeAll(async () => {
  // A live grant, beside the open data and samples every officer has.
  const request = await platform.call<{ id: string }>('POST', '/api/requests', 'officer.moe', {
    dataset: 'person-address-pa',
    columns: ['person_key', 'sex', 'age_band'],
    purpose: 'Plan services by age band and sex across planning areas',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
  })
  expect(request.status).toBe(201)
  const id = request.body.data.id
  const approved = await platform.call('POST', `/api/requests/${id}/approve`, 'steward.dos', {})
  expect(approved.status).toBe(200)
})

describe('what GET /api/entitlements tells a caller', () => {
  it('names the versions each entitlement covers, never where their files lie', async () => {
    const bases = new Set<string>()
    for (const user of USERS) {
      const res = await platform.app.request('/api/entitlements', { headers: platform.as[user] })
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).not.toContain(platform.runtime.dataDir)
      expect(text).not.toMatch(/\.parquet|"path"|tc\/|samples\//)
      const { data } = JSON.parse(text) as {
        data: { basis: string; versions: number[] }[]
      }
      for (const entitlement of data) {
        bases.add(entitlement.basis)
        expect(entitlement.versions.length).toBeGreaterThan(0)
        expect([...entitlement.versions].sort((a, b) => b - a)).toEqual(entitlement.versions)
      }
    }
    // The callers hold open data, samples and grants between them: every kind was looked at.
    expect([...bases].sort()).toEqual(['grant', 'open-data', 'sample'])
  })
})
