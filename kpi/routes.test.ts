import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFECT_TREATMENTS,
  type FixtureManifest,
  MANIFEST_FILE,
  sharingHistory,
} from '../fixtures/index.js'
import { defineAbilityFor } from '../identity/index.js'
import { MINISTRY_FAMILIES } from '../reference/index.js'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import { PIPELINES } from '../trusted-centre/index.js'
import { KPI_DEFINITIONS } from './kpi-definition.js'

/**
 * Every KPI checked against a computation of its own, in plain TypeScript over the fixture
 * files (rows the Trusted Centre must quarantine left out by the defect manifest), the seeded
 * sharing history and the pipelines' registrations: not the SQL the platform runs.
 */

type Row = Record<string, string>

/** RFC 4180 lines as the fixtures write them (quotes only where needed). */
function parseCsv(text: string): Row[] {
  const lines = text.trimEnd().split('\n')
  const split = (line: string) => {
    const fields: string[] = []
    let field = ''
    let quoted = false
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"'
          i++
        } else if (ch === '"') quoted = false
        else field += ch
      } else if (ch === '"') quoted = true
      else if (ch === ',') {
        fields.push(field)
        field = ''
      } else field += ch
    }
    fields.push(field)
    return fields
  }
  const header = split(lines[0] as string)
  return lines
    .slice(1)
    .map((line) => Object.fromEntries(header.map((h, i) => [h, split(line)[i] ?? ''])))
}

const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026]
const pct = (part: number, whole: number) => (100 * part) / whole
const yearOfDate = (day: string) => Number(day.slice(0, 4))
const int = (text: string) => (text === '' ? undefined : Number(text))

describe('KPIs', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  let feeds: Record<string, Row[]>
  const headers = new Map<string, Awaited<ReturnType<typeof signInAs>>>()
  const get = async <T>(path: string, who = 'leader.mddi') => {
    const res = await app.request(path, { headers: headers.get(who) })
    return { status: res.status, body: (await res.json()) as { data: T } }
  }
  type Trend = { year: number; value: number; status: string }[]
  const trendOf = async (number: number) =>
    (await get<{ kpis: { number: number; trend: Trend }[] }>('/api/kpis')).body.data.kpis.find(
      (k) => k.number === number,
    )?.trend ?? []

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    for (const who of [
      'leader.mddi',
      'officer.moh',
      'officer.moe',
      'admin',
      'steward.dos',
      'steward.sla',
      'steward.govtech',
    ])
      headers.set(who, await signInAs(app, who))
    const inbox = join(runtime.dataDir, 'feeds', 'inbox')
    const manifest = JSON.parse(
      await readFile(join(inbox, MANIFEST_FILE), 'utf8'),
    ) as FixtureManifest
    feeds = {}
    for (const feed of manifest.feeds) {
      const refused = new Set(
        manifest.defects
          .filter(
            (d) => d.feed === feed.feed && DEFECT_TREATMENTS[d.feed]?.[d.kind] === 'quarantine',
          )
          .map((d) => d.row),
      )
      feeds[feed.feed] = parseCsv(await readFile(join(inbox, feed.file), 'utf8')).filter(
        (_, i) => !refused.has(i + 1),
      )
    }
  })
  afterAll(() => runtime.dispose())

  /** The register KPIs, year by year, computed here from the fixture rows. */
  function expectedRegisterKpis(): Record<number, Map<number, number>> {
    const services = feeds.mddi_digital_services ?? []
    const survey = feeds.mddi_satisfaction_survey ?? []
    const officers = feeds.psd_officer_training ?? []
    const projects = feeds.mddi_transformative_projects ?? []
    const ai = feeds.mddi_ai_projects ?? []
    const systems = feeds.govtech_systems_register ?? []
    const perYear = (f: (year: number) => number | undefined) =>
      new Map(YEARS.flatMap((y) => (f(y) === undefined ? [] : [[y, f(y) as number] as const])))
    const share = <T>(rows: T[], test: (r: T) => boolean) =>
      rows.length === 0 ? undefined : pct(rows.filter(test).length, rows.length)
    const sum = (rows: Row[], column: string) => rows.reduce((n, r) => n + Number(r[column]), 0)
    const inYear = (y: number) => services.filter((s) => Number(s.year) === y)
    const notExempt = (y: number) => inYear(y).filter((s) => s.exempt_reason === '')
    const surveyed = (type: string, y: number) =>
      survey.filter((r) => r.respondent_type === type && Number(r.survey_year) === y)
    const inService = (y: number) =>
      officers.filter(
        (o) => Number(o.joined_year) <= y && (o.left_year === '' || Number(o.left_year) > y),
      )
    const running = (started: string, ended: string, y: number) =>
      yearOfDate(started) <= y && (ended === '' || yearOfDate(ended) > y)
    return {
      1: perYear((y) => share(surveyed('citizen', y), (r) => Number(r.rating) >= 5)),
      2: perYear((y) => share(surveyed('business', y), (r) => Number(r.rating) >= 5)),
      3: perYear((y) => share(inYear(y), (s) => s.offers_epayment === 'true')),
      4: perYear((y) => share(inYear(y), (s) => s.prefilled === 'true')),
      5: perYear((y) => share(notExempt(y), (s) => s.digital_signature === 'true')),
      6: perYear((y) =>
        notExempt(y).length === 0
          ? undefined
          : pct(sum(notExempt(y), 'transactions_digital'), sum(notExempt(y), 'transactions')),
      ),
      7: perYear((y) => {
        const paying = notExempt(y).filter((s) => Number(s.payments) > 0)
        return paying.length === 0
          ? undefined
          : pct(sum(paying, 'payments_electronic'), sum(paying, 'payments'))
      }),
      8: perYear(
        (y) =>
          inService(y).filter((o) => (int(o.analytics_trained_year as string) ?? 9999) <= y).length,
      ),
      9: perYear((y) =>
        share(inService(y), (o) => (int(o.digital_literacy_year as string) ?? 9999) <= y),
      ),
      10: perYear((y) => {
        const n = projects.filter(
          (p) =>
            p.transformative === 'true' &&
            running(p.started_on as string, p.cancelled_on as string, y),
        ).length
        return n === 0 ? undefined : n
      }),
      11: perYear((y) =>
        pct(
          MINISTRY_FAMILIES.filter((f) =>
            ai.some(
              (a) =>
                a.ministry_family === f.code &&
                running(a.started_on as string, a.stopped_on as string, y),
            ),
          ).length,
          MINISTRY_FAMILIES.length,
        ),
      ),
      15: perYear((y) =>
        share(
          systems.filter(
            (s) =>
              s.cloud_eligible === 'true' &&
              Number(s.commissioned_year) <= y &&
              (s.decommissioned_year === '' || Number(s.decommissioned_year) > y),
          ),
          (s) => (int(s.migrated_year as string) ?? 9999) <= y,
        ),
      ),
    }
  }

  it('computes every register KPI as an independent computation over the fixture rows does', async () => {
    const expected = expectedRegisterKpis()
    for (const [number, values] of Object.entries(expected)) {
      const trend = await trendOf(Number(number))
      expect(
        trend.map((t) => t.year),
        `KPI ${number} years`,
      ).toEqual([...values.keys()])
      for (const point of trend)
        expect(point.value, `KPI ${number} in ${point.year}`).toBeCloseTo(
          values.get(point.year) as number,
          9,
        )
    }
  })

  it('measures data sharing from the access workflow, the working-day examples of DOMAIN.md §6 included', async () => {
    // The five examples: submitted on the first day, granted 7 working days later.
    const examples = [
      ['2025-04-25', '2025-05-07'],
      ['2026-02-13', '2026-02-26'],
      ['2023-01-20', '2023-02-02'],
      ['2024-12-24', '2025-01-06'],
      ['2026-05-26', '2026-06-08'],
    ] as const
    const requester = await runtime.auth.users.findUserByUsername('officer.moe')
    const steward = await runtime.auth.users.findUserByUsername('steward.dos')
    if (!requester || !steward) throw new Error('roster incomplete')
    for (const [submitted, granted] of examples) {
      const request = await runtime.access.submit(
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
      const approved = await runtime.access.act(
        request.id,
        'approve',
        {},
        steward,
        defineAbilityFor(steward),
        new Date(`${granted}T15:00:00+08:00`),
      )
      expect(approved.state).toBe('approved')
    }
    const recompute = await app.request('/api/kpis/recompute', {
      method: 'POST',
      headers: headers.get('admin'),
    })
    expect(recompute.status).toBe(201)

    // Independently: the history as planned (working days known by construction) plus the examples.
    const plan = sharingHistory(runtime.config.FIXTURE_SEED, new Date()).filter(
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
      sharingHistory(runtime.config.FIXTURE_SEED, new Date())
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

  it('keeps one computation while nothing changes, and says when it was last checked', async () => {
    const recompute = async () => {
      const res = await app.request('/api/kpis/recompute', {
        method: 'POST',
        headers: headers.get('steward.dos'),
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { data: { computationId: string } }).data.computationId
    }
    const first = await recompute()
    expect(await recompute()).toBe(first)
    const list = await get<{ computationId: string; computedAt: string; checkedAt: string }>(
      '/api/kpis',
    )
    expect(list.body.data.computationId).toBe(first)
    expect(Date.parse(list.body.data.checkedAt)).toBeGreaterThanOrEqual(
      Date.parse(list.body.data.computedAt),
    )
  })

  it('gives each KPI its definition, status by the written rule, and breakdowns only to those who may read the data behind', async () => {
    const list = await get<{
      statusRule: string
      kpis: { number: number; latest: { status: string } | null; targetText: string }[]
    }>('/api/kpis', 'officer.moh')
    expect(list.body.data.kpis.map((k) => k.number)).toEqual(KPI_DEFINITIONS.map((d) => d.number))
    expect(list.body.data.kpis.every((k) => k.latest !== null)).toBe(true)
    expect(list.body.data.statusRule).toMatch(/^Met: /)

    type Detail = {
      breakdowns: {
        visible: boolean
        rows?: { by: string; group: string; year: number; value: number; status: string | null }[]
        reason?: string
      }
      history: { year: number; status: string; closed: boolean }[]
    }
    // Open data: anyone's breakdown, by Ministry family and by agency, each as computed here.
    const services = (await get<Detail>('/api/kpis/3', 'officer.moh')).body.data.breakdowns
    expect(services.visible).toBe(true)
    const rows2024 = (feeds.mddi_digital_services ?? []).filter((r) => r.year === '2024')
    for (const by of ['ministry-family', 'agency'] as const) {
      const column = by === 'agency' ? 'agency' : 'ministry_family'
      const groups = [...new Set(rows2024.map((r) => r[column] as string))].sort()
      expect(
        services.rows
          ?.filter((r) => r.by === by && r.year === 2024)
          .map((r) => [r.group, Number(r.value.toFixed(9))]),
      ).toEqual(
        groups.map((g) => {
          const mine = rows2024.filter((r) => r[column] === g)
          const share = pct(mine.filter((r) => r.offers_epayment === 'true').length, mine.length)
          return [g, Number(share.toFixed(9))]
        }),
      )
    }
    // A count's breakdown has no target of its own, so no status.
    const projectsBy = (await get<Detail>('/api/kpis/10', 'officer.moh')).body.data.breakdowns.rows
    expect(projectsBy?.length).toBeGreaterThan(0)
    expect(projectsBy?.every((r) => r.status === null)).toBe(true)
    // Officer training (Restricted): no breakdown for an officer without a grant.
    const training = await get<Detail>('/api/kpis/8', 'officer.moh')
    expect(training.body.data.breakdowns).toEqual({
      visible: false,
      by: ['ministry-family', 'agency'],
      reason: expect.stringContaining('officer-training-records'),
    })
    expect(JSON.stringify(training.body)).not.toContain('"rows"')
    // Sharing across agencies by Ministry family: leaders yes, officers no.
    expect((await get<Detail>('/api/kpis/14', 'officer.moh')).body.data.breakdowns.visible).toBe(
      false,
    )
    const sharing = await get<Detail>('/api/kpis/14', 'leader.mddi')
    expect(sharing.body.data.breakdowns.rows?.length).toBeGreaterThan(0)
    // Closed years are met or missed; only the running year may be on track or at risk.
    for (const point of sharing.body.data.history)
      expect(point.closed ? ['met', 'missed'] : ['met', 'on track', 'at risk']).toContain(
        point.status,
      )

    const csv = await app.request('/api/kpis?format=csv', { headers: headers.get('officer.moh') })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe(
      'number,category,wording,period,value,unit,target,status,numerator,denominator',
    )
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(KPI_DEFINITIONS.map((d) => String(d.number))),
    )
    expect((await app.request('/api/kpis/0', { headers: headers.get('officer.moh') })).status).toBe(
      400,
    )
  })

  it('follows a changed feed: re-running changes the KPI and its provenance points at the new version', async () => {
    type Provenance = {
      provenance: {
        computationId: string
        inputs: { slug: string; version: number; runId: string; lineageNodeId: string }[]
        sql: string
        historyDataset: { slug: string; version: number }
      }
    }
    const before = (await get<Provenance>('/api/kpis/3')).body.data.provenance
    expect(before.inputs).toEqual([
      expect.objectContaining({
        slug: 'digital-services-register',
        version: 1,
        lineageNodeId: 'dataset:gov-data-portal:digital-services-register',
      }),
    ])
    expect(before.sql).toMatch(/FROM digital_services_register/)

    // MDDI's next delivery: every 2019 service now offers e-payment.
    const file = join(runtime.dataDir, 'mddi_digital_services-next.csv')
    const original = await readFile(
      join(runtime.dataDir, 'feeds', 'inbox', 'mddi_digital_services.csv'),
      'utf8',
    )
    await writeFile(
      file,
      original
        .split('\n')
        .map((line) =>
          /^SVC-\d+,.*,2019,false,/.test(line) ? line.replace(',2019,false,', ',2019,true,') : line,
        )
        .join('\n'),
    )
    const ingested = await runtime.trustedCentre.ingest('mddi_digital_services', file)
    expect(ingested.outcome).toBe('ingested')
    const [fused] = await runtime.trustedCentre.fuse('digital_services')
    expect(fused?.publication).toMatchObject({ version: 2, created: true })

    const after = await get<Provenance>('/api/kpis/3')
    expect(after.body.data.provenance.inputs).toEqual([
      expect.objectContaining({
        slug: 'digital-services-register',
        version: 2,
        runId: fused?.run.id,
      }),
    ])
    expect(after.body.data.provenance.computationId).not.toBe(before.computationId)
    expect(after.body.data.provenance.historyDataset.version).toBeGreaterThan(
      before.historyDataset.version,
    )
    expect((await trendOf(3))[0]).toMatchObject({ year: 2019, value: 100, status: 'met' })
    // The computation is a lineage run reading the new version.
    const runs = await app.request(
      '/api/v1/namespaces/gov-data-portal/jobs/kpi.compute/runs?limit=1',
      { headers: headers.get('leader.mddi') },
    )
    expect(((await runs.json()) as { runs: { state: string }[] }).runs[0]?.state).toBe('COMPLETED')
    // Its events are as valid as every other event we emit.
    const events = await runtime.lineage.store.eventsOfJob('kpi.compute', { limit: 4 })
    expect(events.length).toBeGreaterThan(0)
    for (const event of events)
      expect(runtime.lineage.validator.check(event)).toMatchObject({ errors: [], warnings: [] })
  })

  it('shows a breakdown only to those whose access covers every row and column of the data behind it', async () => {
    // KPI 15 is computed from the GovTech systems register (Restricted): only a grant opens it.
    // Last in this file: its approvals would change the sharing KPIs the tests above check.
    const slug = 'government-systems-register'
    expect(KPI_DEFINITIONS.find((d) => d.number === 15)?.datasets).toEqual([slug])
    const every = PIPELINES.find((p) => p.dataset.slug === slug)?.dataset.columns.map((c) => c.name)
    const post = async (path: string, who: string, body: unknown) => {
      const res = await app.request(path, {
        method: 'POST',
        headers: { ...headers.get(who), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as { data: { id: string } } }
    }
    const grant = async (who: string, conditions: Record<string, unknown>) => {
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
    const breakdownsOf = async (who: string) =>
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
