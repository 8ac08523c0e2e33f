import { beforeAll, expect } from 'vitest'
import { useTestPlatform } from '../testing/index.js'

/** The API's envelope, as these tests read it. */
interface Body {
  data: {
    id: string
    rows?: unknown[][]
    scope?: string
    approvalsNeeded?: number
    grant?: { scope: string; status: string } | null
  }
  error?: { code: string; message: string; queryId?: string }
}

/** An answer of `POST /api/query`, as these tests read it. */
export interface Answer {
  status: number
  code?: string
  message: string
  rows: unknown[][]
  id?: string
}

/**
 * The platform for the aggregate-only tests, at full fixture scale and with the dominance rule
 * at p = 100: officer.moe holds an aggregate-only grant of the chronic disease registry, approved
 * by steward.moh; steward.sla is signed in too.
 */
export function useAggregateApi() {
  const platform = useTestPlatform({
    backend: 'pglite',
    scale: 1,
    env: { SDC_DOMINANCE_P: '100' },
    signIn: ['officer.moe', 'steward.moh', 'steward.sla'],
  })
  type User = keyof typeof platform.as
  const post = async (who: User, path: string, body: unknown) => {
    const res = await platform.app.request(path, {
      method: 'POST',
      headers: { ...platform.as[who], 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Body }
  }
  const query = async (
    sql: string,
    format = 'json',
    who: User = 'officer.moe',
  ): Promise<Answer> => {
    const res = await post(who, '/api/query', { sql, format })
    return {
      status: res.status,
      code: res.body.error?.code,
      message: res.body.error?.message ?? '',
      rows: res.body.data?.rows ?? [],
      id: res.body.data?.id ?? res.body.error?.queryId,
    }
  }
  /** Asks, and expects a 400 whose message names the rule and carries no rows. */
  const refused = async (sql: string, rule: RegExp, who: User = 'officer.moe') => {
    const answer = await query(sql, 'json', who)
    expect(answer.status, `${sql}: ${answer.message}`).toBe(400)
    expect(answer.message, sql).toMatch(rule)
    expect(answer.rows).toEqual([])
    return answer
  }
  beforeAll(async () => {
    const request = await post('officer.moe', '/api/requests', {
      dataset: 'chronic-disease-registry',
      scope: 'aggregates',
      purpose: 'Plan chronic disease programmes by condition, age band and region',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    expect(request.status).toBe(201)
    expect(request.body.data).toMatchObject({ scope: 'aggregates', approvalsNeeded: 1 })
    const approved = await post('steward.moh', `/api/requests/${request.body.data.id}/approve`, {})
    expect(approved.status, JSON.stringify(approved.body)).toBe(200)
    expect(approved.body.data.grant).toMatchObject({ scope: 'aggregates', status: 'active' })
  })
  return { platform, post, query, refused }
}
