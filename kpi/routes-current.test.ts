import { describe, expect, it } from 'vitest'
import { singaporeDay } from '../reference/index.js'
import { useKpiApi } from './routes-test-kit.js'

/**
 * The KPIs kept current and traceable: an approval counts at once without anyone recomputing,
 * every KPI lists its periods up to the present, and the sharing KPIs name the requests they
 * count and the lineage of the records they read.
 */

const { platform } = useKpiApi()

type Period = { period: string; value: number | null; reason: string | null }
type Summary = { number: number; period: 'year' | 'quarter'; periods: Period[] }
type Counted = {
  period: string | null
  counted: number
  requests: {
    id: string
    period: string
    grantWorkingDays: number | null
    canOpen: boolean
    project: string | null
  }[]
  notShown: number
  notShownReason: string | null
}

/** This year and quarter in Singapore, as the KPIs label them. */
function currentPeriods(now = new Date()) {
  const day = singaporeDay(now)
  const year = day.slice(0, 4)
  return { year, quarter: `${year} Q${Math.ceil(Number(day.slice(5, 7)) / 3)}` }
}

const kpisNow = async () =>
  (await platform.call<{ kpis: Summary[] }>('GET', '/api/kpis', 'leader.mddi')).body.data.kpis

const periodOf = (kpis: Summary[], number: number, period: string) =>
  kpis.find((k) => k.number === number)?.periods.find((p) => p.period === period)

const countedIn = async (
  number: number,
  period: string,
  who: 'admin' | 'officer.moh' | 'leader.mddi',
) =>
  platform.call<Counted>(
    'GET',
    `/api/kpis/${number}/requests?period=${encodeURIComponent(period)}`,
    who,
  )

describe('KPIs kept current with the access workflow', () => {
  it('counts an approval at once, without anyone recomputing', async () => {
    const { year, quarter } = currentPeriods()
    const before = await kpisNow()
    const countedBefore = (await countedIn(14, quarter, 'admin')).body.data.counted
    const projectsBefore = periodOf(before, 12, year)?.value ?? 0

    const created = await platform.call<{ id: string }>('POST', '/api/requests', 'officer.moe', {
      dataset: 'person-address-pa',
      purpose: 'Check that the sharing KPIs count an approval at once',
      legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
      durationDays: 30,
      project: { name: 'KPI freshness check', partnerAgencies: [] },
    })
    expect(created.status).toBe(201)
    const id = created.body.data.id
    const approved = await platform.call('POST', `/api/requests/${id}/approve`, 'steward.dos', {})
    expect(approved.status).toBe(200)
    // The recomputation runs in the background after the decision has committed.
    await platform.runtime.kpi.refresh.settled()

    const after = await kpisNow()
    expect(periodOf(after, 12, year)?.value).toBe(projectsBefore + 1)
    expect(periodOf(after, 14, quarter)).toMatchObject({
      value: expect.any(Number),
      reason: 'Quarter in progress: value so far',
    })
    const counted = await countedIn(14, quarter, 'admin')
    expect(counted.status).toBe(200)
    expect(counted.body.data.counted).toBe(countedBefore + 1)
    expect(counted.body.data.requests[0]).toMatchObject({ id, period: quarter })
    const detail = await platform.call<{ provenance: { trigger: string; actor: string } }>(
      'GET',
      '/api/kpis/14',
      'leader.mddi',
    )
    expect(detail.body.data.provenance).toMatchObject({
      trigger: 'access decision',
      actor: 'system',
    })

    // Those who may not open the request see it counted, not listed.
    const stranger = await countedIn(14, quarter, 'officer.moh')
    expect(stranger.body.data.counted).toBe(countedBefore + 1)
    expect(stranger.body.data.requests.map((r) => r.id)).not.toContain(id)
    expect(stranger.body.data.notShown).toBe(
      stranger.body.data.counted - stranger.body.data.requests.length,
    )
    expect(stranger.body.data.notShownReason).toMatch(/counted only/)

    // A leader sees every counted request listed (agencies, dataset, dates: no person), and
    // may not open it.
    const leader = await countedIn(14, quarter, 'leader.mddi')
    expect(leader.body.data.notShown).toBe(0)
    expect(leader.body.data.requests.find((r) => r.id === id)).toMatchObject({
      canOpen: false,
      // The requester's own words stay with those who may open the request.
      project: null,
    })
    expect(JSON.stringify(leader.body.data)).not.toMatch(/officer\.|purpose/)
  })

  it('lists every period up to the present, with a reason wherever a value is missing', async () => {
    const { year, quarter } = currentPeriods()
    for (const kpi of await kpisNow()) {
      const current = kpi.period === 'quarter' ? quarter : year
      expect(kpi.periods.at(-1)?.period, `KPI ${kpi.number}`).toBe(current)
      for (const p of kpi.periods.filter((p) => p.value === null))
        expect(p.reason, `KPI ${kpi.number} ${p.period}`).toEqual(expect.any(String))
    }
    // Quarter after quarter, none skipped.
    const quarters = (await kpisNow()).find((k) => k.number === 14)?.periods ?? []
    const index = (label: string) => Number(label.slice(0, 4)) * 4 + Number(label.slice(6)) - 1
    expect(quarters.map((p) => index(p.period))).toEqual(
      quarters.map((_, i) => index(quarters[0]?.period ?? '') + i),
    )
  })

  it('lists the requests a sharing KPI counts, and refuses a KPI that counts none', async () => {
    const all = await platform.call<Counted>('GET', '/api/kpis/12/requests', 'admin')
    expect(all.status).toBe(200)
    expect(all.body.data).toMatchObject({ period: null, notShown: 0, notShownReason: null })
    expect(all.body.data.requests).toHaveLength(all.body.data.counted)

    const notCounting = await platform.call('GET', '/api/kpis/9/requests', 'admin')
    expect(notCounting.status).toBe(404)
    const wrongPeriod = await platform.call('GET', '/api/kpis/14/requests?period=2026', 'admin')
    expect(wrongPeriod.status).toBe(400)
  })

  it("opens the sharing KPIs' lineage at the sharing records, which their computation reads", async () => {
    const detail = await platform.call<{ provenance: { lineageNodeId: string } }>(
      'GET',
      '/api/kpis/14',
      'leader.mddi',
    )
    const node = 'dataset:gov-data-portal:sharing-records'
    expect(detail.body.data.provenance.lineageNodeId).toBe(node)
    const graph = await platform.app.request(
      `/api/v1/lineage?nodeId=${encodeURIComponent(node)}&depth=1`,
      { headers: platform.as['leader.mddi'] },
    )
    expect(graph.status).toBe(200)
    const { graph: nodes } = (await graph.json()) as { graph: { id: string }[] }
    expect(nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining([node, 'job:gov-data-portal:kpi.compute.platform']),
    )
  })
})
