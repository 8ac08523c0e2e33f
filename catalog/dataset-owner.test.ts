import { describe, expect, it } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moh', 'admin'] })

const ownerOf = async (slug: string, user: 'officer.moh' | 'admin' = 'officer.moh') => {
  const { status, body } = await platform.call('GET', `/api/datasets/${slug}`, user)
  expect(status).toBe(200)
  const { agency, agencyName, stewards } = (
    body as { data: { agency: string; agencyName: string | null; stewards: unknown[] } }
  ).data
  return { agency, agencyName, stewards }
}

describe('who owns a dataset, on its page', () => {
  it('names the owning agency and its stewards, ordered by name, disabled ones left out', async () => {
    expect(await ownerOf('person-address-pa')).toEqual({
      agency: 'DOS',
      agencyName: 'Department of Statistics',
      stewards: [{ name: 'Lim Hui Min (DOS data steward)', email: 'steward.dos@example.gov.sg' }],
    })
    expect(await ownerOf('chronic-disease-registry', 'admin')).toEqual({
      agency: 'MOH',
      agencyName: 'Ministry of Health',
      stewards: [
        { name: 'Siti Rahman (MOH data steward)', email: 'steward.moh@example.gov.sg' },
        { name: 'Tan Li Ting (MOH data steward)', email: 'steward2.moh@example.gov.sg' },
      ],
    })
    await platform.runtime.db
      .updateTable('users')
      .set({ disabled_at: new Date() })
      .where('username', '=', 'steward2.moh')
      .execute()
    expect((await ownerOf('chronic-disease-registry', 'admin')).stewards).toEqual([
      { name: 'Siti Rahman (MOH data steward)', email: 'steward.moh@example.gov.sg' },
    ])
  })

  it('says nothing it does not know of an agency that is not on the roster', async () => {
    expect(await ownerOf('officer-training-records', 'admin')).toEqual({
      agency: 'PSD',
      agencyName: null,
      stewards: [],
    })
  })
})
