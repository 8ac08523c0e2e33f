import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { testClient } from 'hono/testing'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { DatasetStore } from '../catalog/index.js'
import { createLogger } from '../core/index.js'
import { TEST_BACKENDS } from '../fixtures/index.js'
import { createApp } from './app.js'
import { loadData } from './load-data.js'
import { pingDatabase } from './runtime.js'
import { openTestRuntime, type TestRuntime } from './test-runtime.js'

const silent = createLogger({ level: 'silent' })

describe.each(TEST_BACKENDS)('the product on %s', (backend) => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createApp>
  const appOf = (r: TestRuntime) =>
    createApp({
      log: silent,
      catalog: r.catalog,
      pingDatabase: () => pingDatabase(r.db),
      portalDir: r.portalDir,
    })

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend, postgresUrl: inject('postgresUrl') })
    app = appOf(runtime)
  })
  afterAll(() => runtime.dispose())

  it('lists the fused dataset with its columns and row count', async () => {
    const res = await testClient(app).api.datasets.$get()
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.ok).toBe(true)
    expect(body.data).toHaveLength(1)
    const dataset = body.data[0]
    expect(dataset).toMatchObject({
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
    expect(dataset?.columns.map((c) => c.name)).toEqual([
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
    ])
    const persons = (await runtime.trustedCentre.listRuns()).find(
      (r) => r.subject === 'dos_persons',
    )
    const rows = dataset?.currentVersion?.rowCount ?? 0
    expect(rows).toBeGreaterThan(0.9 * (persons?.accepted ?? 0))
    expect(rows).toBeLessThanOrEqual(persons?.accepted ?? 0)
  })

  it('shows one dataset by slug or by id, with its versions', async () => {
    const client = testClient(app)
    const bySlug = await (
      await client.api.datasets[':id'].$get({ param: { id: 'person-address-pa' } })
    ).json()
    if (!bySlug.ok) throw new Error('expected the dataset')
    const byId = await (
      await client.api.datasets[':id'].$get({ param: { id: bySlug.data.id } })
    ).json()
    expect(byId).toEqual(bySlug)
    expect(bySlug.data.versions).toEqual([
      expect.objectContaining({ version: 1, rowCount: bySlug.data.currentVersion?.rowCount }),
    ])
  })

  it('answers unknown and malformed dataset keys with the canonical error body', async () => {
    const missing = await app.request('/api/datasets/no-such-dataset')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      ok: false,
      error: { code: 'not_found', message: "Dataset 'no-such-dataset' not found" },
    })
    const malformed = await app.request('/api/datasets/Not_A_Slug!')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          "'Not_A_Slug!' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')",
      },
    })
    const badId = await app.request('/api/datasets/d_123')
    expect(await badId.json()).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: "Dataset id 'd_123' must be 'd_' followed by 32 hex digits",
      },
    })
    const noRoute = await app.request('/api/nothing-here', { method: 'POST' })
    expect(noRoute.status).toBe(404)
    expect(await noRoute.json()).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No API route POST /api/nothing-here' },
    })
  })

  it('changes nothing when the data is loaded again, even by a new process', async () => {
    const before = await runtime.catalog.findDataset('person-address-pa')
    await loadData(runtime)
    runtime = await runtime.reopen()
    app = appOf(runtime)
    await loadData(runtime)
    const after = await runtime.catalog.findDataset('person-address-pa')
    expect(after?.versions).toEqual(before?.versions)
    expect((await runtime.catalog.listDatasets()).length).toBe(1)
    expect(await readdir(join(runtime.dataDir, 'tc', 'person-address-pa'))).toEqual(['v1.parquet'])
    const ingests = (await runtime.trustedCentre.listRuns()).filter((r) => r.kind === 'ingest')
    expect(ingests.map((r) => r.subject).sort()).toEqual(['dos_persons', 'sla_addresses'])
  })

  it('reports health', async () => {
    const res = await app.request('/api/health')
    expect(await res.json()).toEqual({ ok: true, data: { status: 'ok' } })
  })
})

describe('unexpected failures', () => {
  it('answer 500 with a generic message that names the request, never the cause', async () => {
    const exploding = {
      listDatasets: async () => {
        throw new Error('password=hunter2 leaked from a driver')
      },
    } as unknown as DatasetStore
    const app = createApp({
      log: silent,
      catalog: exploding,
      pingDatabase: async () => undefined,
      portalDir: '/nowhere',
    })
    const res = await app.request('/api/datasets')
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
})
