import { beforeAll } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

/** The API's envelope, as these tests read it. */
export interface Answer<T> {
  ok: boolean
  data: T
  error: { code: string; message: string }
}
/** A JSON answer of `POST /api/query`. */
export type JsonResult = {
  id: string
  columns: { name: string; type: string }[]
  rows: unknown[][]
}

/**
 * The platform for the query API tests: officer.moh is granted three columns of the fused
 * persons, for men only; officer.moe has no grant; steward.dos approved it.
 */
export function useQueryApi() {
  const platform = useTestPlatform({
    backend: 'pglite',
    signIn: ['officer.moh', 'steward.dos', 'officer.moe'],
  })
  type User = keyof typeof platform.as
  const post = (path: string, who: User, body: unknown) =>
    platform.app.request(path, {
      method: 'POST',
      headers: { ...platform.as[who], 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const query = async <T = JsonResult>(who: User, body: unknown) => {
    const res = await post('/api/query', who, body)
    return { status: res.status, body: (await res.json()) as Answer<T> }
  }
  beforeAll(async () => {
    const created = await post('/api/requests', 'officer.moh', {
      dataset: 'person-address-pa',
      columns: ['person_key', 'sex', 'planning_area_code'],
      purpose: 'Plan polyclinic capacity by planning area and sex',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    const { id } = ((await created.json()) as Answer<{ id: string }>).data
    await post(`/api/requests/${id}/approve`, 'steward.dos', {
      rowFilter: [{ column: 'sex', op: 'in', values: ['M'] }],
    })
  })
  return { platform, post, query }
}
