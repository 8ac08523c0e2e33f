import { describe, expect, it } from 'vitest'
import { sharingHistory } from '../fixtures/index.js'
import { defineAbilityFor } from '../identity/index.js'
import { PIPELINES } from '../trusted-centre/index.js'
import { KPI_DEFINITIONS } from './kpi-definition.js'
import { type KpiUser, pct, useKpiApi, yearOfDate } from './routes-test-kit.js'

/**
 * The sharing KPIs checked against a computation of their own over the seeded sharing history
 * and the pipelines' registrations, and the breakdowns a grant opens.
 */

const { platform, get, trendOf } = useKpiApi()

describe('KPIs of data sharing', () => {
  it('measures data sharing from the access workflow, the working-day examples of DOMAIN.md §6 included', async () => {
    // The five examples: submitted on the first day, granted 7 working days later.
    const examples = [
      ['2025-04-25', '2025-05-07'],
      ['2026-02-13', '2026-02-26'],
      ['2023-01-20', '2023-02-02'],
      ['2024-12-24', '2025-01-06'],
      ['2026-05-26', '2026-06-08'],
    ] as const
    const requester = await platform.runtime.auth.users.findUserByUsername('officer.moe')
    const steward = await platform.runtime.auth.users.findUserByUsername('steward.dos')
    if (!requester || !steward) throw new Error('roster incomplete')
    for (const [submitted, granted] of examples) {
      const request = await platform.runtime.access.submit(
        {
          dataset: 'person-address-pa',
          purpose: 'Working-day examples of the KPI convention',
          legalBasis: 'PSGA 2018 s. 25',
          durationDays: 30,
          project: { name: 'Working-day examples', partnerAgencies: [] },
        },
        requester,
        defineAbilityFor(requester),
        new Date(`${submitted}T10:00:00+08:00`),
      )
      const approved = await platform.runtime.access.act(
        request.id,
        'approve',
        {},
        steward,
        defineAbilityFor(steward),
        new Date(`${granted}T15:00:00+08:00`),
      )
      expect(approved.state).toBe('approved')
    }
    const recompute = await platform.app.request('/api/kpis/recompute', {
      method: 'POST',
      headers: platform.as.admin,
    })
    expect(recompute.status).toBe(201)

    // Independently: the history as planned (working days known by construction) plus the examples.
    const plan = sharingHistory(platform.runtime.config.FIXTURE_SEED, new Date()).filter(
      (p) => p.outcome === 'approved',
    )
    // Decisions are at 16:00 Singapore time, so the UTC date is the Singapore date.
    const quarterOfDay = (day: string) =>
      `${day.slice(0, 4)} Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`
    const decided = [
      ...plan.map((p) => ({
        year: Number(p.decidedAt.toISOString().slice(0, 4)),
        quarter: quarterOfDay(p.decidedAt.toISOString().slice(0, 10)),
        days: p.workingDays,
        project: p.project.name,
      })),
      ...examples.map(([, granted]) => ({
        year: yearOfDate(granted),
        quarter: quarterOfDay(granted),
        days: 7,
        project: 'Working-day examples',
      })),
    ]
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b)
      const m = Math.floor(s.length / 2)
      return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
    }
    const years = [...new Set(decided.map((d) => d.year))].sort()
    const quarters = [...new Set(decided.map((d) => d.quarter))].sort()
    const detail = await get<{
      history: { period: string; value: number; numerator: number; denominator: number }[]
    }>('/api/kpis/14')
    expect(detail.body.data.history).toEqual(
      quarters.map((period) => {
        const days = decided.filter((d) => d.quarter === period).map((d) => d.days)
        return expect.objectContaining({
          period,
          value: median(days),
          numerator: days.filter((d) => d <= 7).length,
          denominator: days.length,
        })
      }),
    )
    expect(await trendOf(12)).toEqual(
      years.map((year) =>
        expect.objectContaining({
          year,
          value: new Set(decided.filter((d) => d.year === year).map((d) => d.project)).size,
        }),
      ),
    )
  })

  it('measures core data fields served by API from the catalogue and its grants', async () => {
    const granted = new Set(
      sharingHistory(platform.runtime.config.FIXTURE_SEED, new Date())
        .filter((p) => p.outcome === 'approved')
        .map((p) => p.dataset),
    )
    const core = PIPELINES.flatMap((p) =>
      p.dataset.columns
        .filter((c) => c.isCoreField)
        .map(
          () =>
            p.dataset.classification.security === 'official-open' || granted.has(p.dataset.slug),
        ),
    )
    const trend = await trendOf(13)
    expect(trend.at(-1)?.value).toBeCloseTo(pct(core.filter(Boolean).length, core.length), 9)
  })
})

describe('KPI breakdowns a grant opens', () => {
  it('shows a breakdown only to those whose access covers every row and column of the data behind it', async () => {
    // KPI 15 is computed from the GovTech systems register (Restricted): only a grant opens it.
    // Last in this file: its approvals would change the sharing KPIs the tests above check.
    const slug = 'government-systems-register'
    expect(KPI_DEFINITIONS.find((d) => d.number === 15)?.datasets).toEqual([slug])
    const every = PIPELINES.find((p) => p.dataset.slug === slug)?.dataset.columns.map((c) => c.name)
    const post = async (path: string, who: KpiUser, body: unknown) => {
      const res = await platform.app.request(path, {
        method: 'POST',
        headers: { ...platform.as[who], 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as { data: { id: string } } }
    }
    const grant = async (who: KpiUser, conditions: Record<string, unknown>) => {
      const created = await post('/api/requests', who, {
        dataset: slug,
        purpose: 'Compare cloud migration across Ministry families',
        legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
        durationDays: 30,
        project: { name: 'Cloud migration roadmap', partnerAgencies: [] },
      })
      expect(created.status).toBe(201)
      const approved = await post(
        `/api/requests/${created.body.data.id}/approve`,
        'steward.govtech',
        conditions,
      )
      expect(approved.status).toBe(200)
    }
    type Breakdowns = { visible: boolean; by: string[]; rows?: unknown[]; reason?: string }
    const breakdownsOf = async (who: KpiUser) =>
      (await get<{ breakdowns: Breakdowns }>('/api/kpis/15', who)).body.data.breakdowns
    const refused = (gap: string) => ({
      visible: false,
      by: ['ministry-family', 'agency'],
      reason: `Breakdowns follow the access rules of the data behind them: ${gap} — request it in full, or ask a leader`,
    })

    expect(await breakdownsOf('officer.moh')).toEqual(refused(`you may not read ${slug} in full`))
    // One Ministry family's rows and three columns: a full grant, but not of what the
    // breakdown by every agency is computed from.
    const mohOnly = [{ column: 'ministry_family', op: 'in', values: ['MOH'] }]
    await grant('officer.moh', {
      columns: ['ministry_family', 'cloud_eligible', 'migrated_year'],
      rowFilter: mohOnly,
    })
    const entitled = await get<{ dataset: { slug: string }; scope: string }[]>(
      '/api/entitlements',
      'officer.moh',
    )
    expect(entitled.body.data.filter((e) => e.dataset.slug === slug).map((e) => e.scope)).toContain(
      'full',
    )
    expect(await breakdownsOf('officer.moh')).toEqual(
      refused(
        `your access to ${slug} covers only some of its rows (a row filter) and some of its columns (3 of ${every?.length})`,
      ),
    )
    // Every column listed, one Ministry family's rows: still short of the whole.
    await grant('steward.sla', { columns: every, rowFilter: mohOnly })
    expect(await breakdownsOf('steward.sla')).toEqual(
      refused(`your access to ${slug} covers only some of its rows (a row filter)`),
    )
    // The whole dataset: every column, no row filter.
    await grant('officer.moe', {})
    const full = await breakdownsOf('officer.moe')
    expect(full).toMatchObject({ visible: true, by: ['ministry-family', 'agency'] })
    expect(full.rows?.length).toBeGreaterThan(0)
  })
})
