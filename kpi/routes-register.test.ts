import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFECT_TREATMENTS, type FixtureManifest, MANIFEST_FILE } from '../fixtures/index.js'
import { MINISTRY_FAMILIES } from '../reference/index.js'
import { KPI_DEFINITIONS } from './kpi-definition.js'
import { pct, useKpiApi, yearOfDate } from './routes-test-kit.js'

/**
 * Every register KPI checked against a computation of its own, in plain TypeScript over the
 * fixture files (rows the Trusted Centre must quarantine left out by the defect manifest): not
 * the SQL the platform runs. Then the KPIs' definitions and breakdowns, and how a computation
 * follows a changed feed.
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
const int = (text: string) => (text === '' ? undefined : Number(text))

type Feeds = Record<string, Row[]>

/** The rows of every fixture feed in `dataDir`'s inbox that the Trusted Centre accepts. */
async function readFeeds(dataDir: string): Promise<Feeds> {
  const inbox = join(dataDir, 'feeds', 'inbox')
  const manifest = JSON.parse(await readFile(join(inbox, MANIFEST_FILE), 'utf8')) as FixtureManifest
  const feeds: Feeds = {}
  for (const feed of manifest.feeds) {
    const refused = new Set(
      manifest.defects
        .filter((d) => d.feed === feed.feed && DEFECT_TREATMENTS[d.feed]?.[d.kind] === 'quarantine')
        .map((d) => d.row),
    )
    feeds[feed.feed] = parseCsv(await readFile(join(inbox, feed.file), 'utf8')).filter(
      (_, i) => !refused.has(i + 1),
    )
  }
  return feeds
}

/** The register KPIs, year by year, computed here from the fixture rows. */
function expectedRegisterKpis(feeds: Feeds): Record<number, Map<number, number>> {
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

const { platform, get, trendOf } = useKpiApi()
let feeds: Feeds
beforeAll(async () => {
  feeds = await readFeeds(platform.runtime.dataDir)
})

describe('KPIs', () => {
  it('computes every register KPI as an independent computation over the fixture rows does', async () => {
    const expected = expectedRegisterKpis(feeds)
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

    const csv = await platform.app.request('/api/kpis?format=csv', {
      headers: platform.as['officer.moh'],
    })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe(
      'number,category,wording,period,value,unit,target,status,numerator,denominator',
    )
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(
      new Set(KPI_DEFINITIONS.map((d) => String(d.number))),
    )
    expect(
      (await platform.app.request('/api/kpis/0', { headers: platform.as['officer.moh'] })).status,
    ).toBe(400)
  })
})

// After the tests above: the changed feed changes KPI 3.
describe('KPI computations', () => {
  it('keeps one computation while nothing changes, and says when it was last checked', async () => {
    const recompute = async () => {
      const res = await platform.app.request('/api/kpis/recompute', {
        method: 'POST',
        headers: platform.as['steward.dos'],
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
    const file = join(platform.runtime.dataDir, 'mddi_digital_services-next.csv')
    const original = await readFile(
      join(platform.runtime.dataDir, 'feeds', 'inbox', 'mddi_digital_services.csv'),
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
    const ingested = await platform.runtime.trustedCentre.ingest('mddi_digital_services', file)
    expect(ingested.outcome).toBe('ingested')
    const [fused] = await platform.runtime.trustedCentre.fuse('digital_services')
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
    const runs = await platform.app.request(
      '/api/v1/namespaces/gov-data-portal/jobs/kpi.compute/runs?limit=1',
      { headers: platform.as['leader.mddi'] },
    )
    expect(((await runs.json()) as { runs: { state: string }[] }).runs[0]?.state).toBe('COMPLETED')
    // Its events are as valid as every other event we emit.
    const events = await platform.runtime.lineage.store.eventsOfJob('kpi.compute', { limit: 4 })
    expect(events.length).toBeGreaterThan(0)
    for (const event of events)
      expect(platform.runtime.lineage.validator.check(event)).toMatchObject({
        errors: [],
        warnings: [],
      })
  })
})
