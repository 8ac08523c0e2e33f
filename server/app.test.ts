import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import type { DatasetStore } from '../catalog/index.js'
import { FIXTURE_USERS } from '../fixtures/index.js'
import { systemAbility } from '../identity/index.js'
import { createLineageStore } from '../lineage/index.js'
import {
  createTestApp,
  signInAs,
  TEST_BACKENDS,
  type TestPlatform,
  useTestPlatform,
} from '../testing/index.js'
import { PIPELINES } from '../trusted-centre/index.js'
import { createApp } from './app.js'
import { loadData } from './load-data.js'
import { appDepsOf } from './runtime.js'

type Platform = TestPlatform<'officer.moh'>

describe.each(TEST_BACKENDS)('the product on %s', (backend) => {
  const platform = useTestPlatform({
    backend,
    postgresUrl: inject('postgresUrl'),
    signIn: ['officer.moh'],
  })
  describe('its catalogue', () => catalogueTests(platform))
  describe('loading, lineage, health and errors', () => lifecycleTests(platform))
})

function catalogueTests(platform: Platform) {
  const get = async (path: string) => {
    const res = await platform.app.request(path, { headers: platform.as['officer.moh'] })
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown> & { data?: never },
    }
  }

  it('lists the fused dataset with its columns and row count', async () => {
    const { status, body } = await get('/api/datasets')
    expect(status).toBe(200)
    const data = body.data as unknown as {
      slug: string
      columns: { name: string }[]
      currentVersion: { version: number; rowCount: number }
    }[]
    // Sorted by title: AI projects, business counts, chronic disease registry, Blueprint KPIs,
    // digital projects, ICT systems, digital services, hourly weather, persons, postal geocodes,
    // officer training, satisfaction survey.
    expect(data.map((d) => d.slug)).toEqual([
      'ai-projects-register',
      'business-by-planning-area',
      'chronic-disease-registry',
      'blueprint-kpi-history',
      'digital-projects-register',
      'government-systems-register',
      'digital-services-register',
      'sensor-hourly-by-planning-area',
      'person-address-pa',
      'postal-geocode-reference',
      'officer-training-records',
      'digital-services-satisfaction-survey',
    ])
    const persons = data.find((d) => d.slug === 'person-address-pa')
    expect(persons).toMatchObject({
      id: expect.stringMatching(/^d_[0-9a-f]{32}$/),
      slug: 'person-address-pa',
      agency: 'DOS',
      classification: {
        security: 'restricted',
        sensitivity: 'sensitive-normal',
        label: 'Restricted / Sensitive Normal',
      },
      currentVersion: { version: 1, rowCount: expect.any(Number) },
    })
    expect(persons?.columns.map((c) => c.name)).toEqual([
      'person_key',
      'age_band',
      'sex',
      'race_code',
      'residential_status',
      'postal_code',
      'postal_sector',
      'postal_district',
      'planning_area_code',
      'planning_area_name',
      'region_code',
      'address_source',
      'address_conflict',
      'dq_flags',
      'person_source',
      'address_source_record',
    ])
    const ingest = (await platform.runtime.trustedCentre.listRuns()).find(
      (r) => r.subject === 'dos_persons',
    )
    const rows = persons?.currentVersion.rowCount ?? 0
    expect(rows).toBeGreaterThan(0.9 * (ingest?.accepted ?? 0))
    expect(rows).toBeLessThanOrEqual(ingest?.accepted ?? 0)
  })

  it('lists the datasets a page at a time, and says what to fix in a bad page', async () => {
    const whole = (await get('/api/datasets')).body.data as unknown as { slug: string }[]
    const page = await get('/api/datasets?limit=3&offset=2')
    expect(page.status).toBe(200)
    expect((page.body.data as unknown as { slug: string }[]).map((d) => d.slug)).toEqual(
      whole.slice(2, 5).map((d) => d.slug),
    )
    for (const bad of ['limit=0', 'limit=1001', 'offset=-1', 'limit=ten', 'page=2']) {
      const refused = await get(`/api/datasets?${bad}`)
      expect(refused.status, bad).toBe(400)
      expect(JSON.stringify(refused.body), bad).toMatch(/limit|offset|page/)
    }
  })

  it('shows one dataset by slug or by id, with its versions', async () => {
    const bySlug = await get('/api/datasets/person-address-pa')
    const data = bySlug.body.data as unknown as {
      id: string
      versions: unknown[]
      currentVersion: { rowCount: number }
    }
    const byId = await get(`/api/datasets/${data.id}`)
    expect(byId).toEqual(bySlug)
    expect(data.versions).toEqual([
      expect.objectContaining({ version: 1, rowCount: data.currentVersion.rowCount }),
    ])
  })

  it('answers unknown and malformed dataset keys with the canonical error body', async () => {
    expect(await get('/api/datasets/no-such-dataset')).toEqual({
      status: 404,
      body: {
        ok: false,
        error: { code: 'not_found', message: "Dataset 'no-such-dataset' not found" },
      },
    })
    expect(await get('/api/datasets/Not_A_Slug!')).toEqual({
      status: 400,
      body: {
        ok: false,
        error: {
          code: 'invalid_input',
          message:
            "'Not_A_Slug!' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')",
        },
      },
    })
    expect((await get('/api/datasets/d_123')).body).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: "Dataset id 'd_123' must be 'd_' followed by 32 hex digits",
      },
    })
    const noRoute = await platform.app.request('/api/nothing-here', {
      method: 'POST',
      headers: platform.as['officer.moh'],
    })
    expect(noRoute.status).toBe(404)
    expect(await noRoute.json()).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No API route POST /api/nothing-here' },
    })
  })
}

function lifecycleTests(platform: Platform) {
  it('changes nothing when the data is loaded again, even by a new process', async () => {
    const before = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
    await loadData(platform.runtime)
    platform.runtime = await platform.runtime.reopen()
    platform.app = createTestApp(platform.runtime)
    platform.as['officer.moh'] = await signInAs(platform.app, 'officer.moh')
    await loadData(platform.runtime)
    const after = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
    expect(after?.versions).toEqual(before?.versions)
    // The fused datasets and the KPI history, each once.
    expect((await platform.runtime.catalog.listDatasets(systemAbility())).length).toBe(
      PIPELINES.length + 1,
    )
    expect(await readdir(join(platform.runtime.dataDir, 'tc', 'person-address-pa'))).toEqual([
      'v1.parquet',
    ])
    const ingests = (await platform.runtime.trustedCentre.listRuns()).filter(
      (r) => r.kind === 'ingest',
    )
    expect(ingests.map((r) => r.subject).sort()).toEqual([
      'dos_businesses',
      'dos_persons',
      'govtech_sensor_readings',
      'govtech_sensor_stations',
      'govtech_systems_register',
      'mddi_ai_projects',
      'mddi_digital_services',
      'mddi_satisfaction_survey',
      'mddi_transformative_projects',
      'moh_chronic_registry',
      'psd_officer_training',
      'sla_addresses',
    ])
    expect((await platform.runtime.auth.users.listUsers()).length).toBe(FIXTURE_USERS.length)
  })

  it('keeps the OpenLineage events of every run in the lineage store', async () => {
    const events = await createLineageStore(platform.runtime.db).eventsOfJob(
      'fuse.person_address_pa',
    )
    expect(events.map((e) => e.eventType)).toContain('COMPLETE')
    expect(events.map((e) => e.eventType)).toContain('START')
    const ingest = await createLineageStore(platform.runtime.db).eventsOfJob('ingest.dos_persons')
    expect(ingest.at(-1)?.eventType).toBe('START')
  })

  it('reports health to anyone', async () => {
    const res = await platform.app.request('/api/health')
    expect(await res.json()).toEqual({ ok: true, data: { status: 'ok' } })
  })

  it('answers 500 with a generic message that names the request, never the cause', async () => {
    const exploding = {
      listDatasets: async () => {
        throw new Error('password=hunter2 leaked from a driver')
      },
    } as unknown as DatasetStore
    const broken = createApp({
      ...appDepsOf(platform.runtime),
      catalog: exploding,
      auth: platform.runtime.auth,
      pingDatabase: async () => undefined,
      portalDir: '/nowhere',
    })
    const res = await broken.request('/api/datasets', {
      headers: await signInAs(broken, 'officer.moh'),
    })
    expect(res.status).toBe(500)
    const body = await res.json()
    expect(body).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: `Internal server error; quote request id ${res.headers.get('x-request-id')} when reporting it`,
      },
    })
    expect(JSON.stringify(body)).not.toContain('hunter2')
  })
}
