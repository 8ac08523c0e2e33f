import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import type { LineageEvent } from './events.js'
import type { GraphNode } from './lineage-graph.js'
import { namespacesWritten } from './namespace-ownership.js'

// Real events from Airflow, Spark, Marquez and OpenLineage (Apache-2.0), with expected outcomes.
const EXAMPLES = new URL('../lineage/openlineage-examples/', import.meta.url)
const manifest = JSON.parse(readFileSync(new URL('manifest.json', EXAMPLES), 'utf8')) as {
  events: { file: string; category: string }[]
}
const example = (file: string) =>
  JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Record<string, unknown>

describe('lineage through the API', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  let steward: Record<string, string>
  let officer: Record<string, string>
  let admin: Record<string, string>
  let token: string
  let mohToken: string

  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const get = async <T>(path: string, headers = officer) => {
    const res = await app.request(path, { headers })
    return { status: res.status, body: (await res.json()) as T }
  }

  const tokenOf = async (headers: Record<string, string>) => {
    const created = await post(
      '/api/tokens',
      { name: 'airflow', scopes: ['read', 'write'], expiresInDays: 30 },
      headers,
    )
    return ((await created.json()) as { data: { token: string } }).data.token
  }

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    steward = await signInAs(app, 'steward.dos')
    officer = await signInAs(app, 'officer.moe')
    admin = await signInAs(app, 'admin')
    // Producers send events with a steward's API token (write scope), as a machine would.
    token = await tokenOf(steward)
    mohToken = await tokenOf(await signInAs(app, 'steward.moh'))
    // Stewards write only into namespaces registered to their agency: the examples' go to DOS.
    const examples = new Set(
      manifest.events
        .filter((e) => e.category !== 'invalid')
        .flatMap((e) => namespacesWritten(example(e.file) as unknown as LineageEvent))
        .map((w) => w.namespace),
    )
    const registrations = [
      ...[...examples].map((namespace) => ({ namespace, agency: 'DOS' })),
      { namespace: 's3://landing-bucket', agency: 'MOH' },
    ]
    for (const registration of registrations) {
      const res = await post('/api/v1/lineage/namespaces', registration, admin)
      if (res.status !== 201) throw new Error(`Registering failed: ${await res.text()}`)
    }
  })
  afterAll(() => runtime.dispose())

  it('gives every example event its expected outcome, violations named', async () => {
    const outcomes: string[] = []
    const expected: string[] = []
    for (const { file, category } of manifest.events) {
      const res = await post('/api/v1/lineage', example(file), {
        authorization: `Bearer ${token}`,
      })
      const body = (await res.json()) as {
        data?: { warnings: string[] }
        error?: { message: string }
      }
      const lenient = (body.data?.warnings.length ?? 0) > 0
      outcomes.push(`${file}: ${res.status}${lenient ? ' with warnings' : ''}`)
      expected.push(
        `${file}: ${category === 'invalid' ? 400 : 201}${category === 'format-lenient' ? ' with warnings' : ''}`,
      )
      if (category === 'invalid')
        expect(body.error?.message).toMatch(/^Not a valid OpenLineage event: \S+: /)
    }
    expect(outcomes).toEqual(expected)
    const noRunId = await post(
      '/api/v1/lineage',
      example('invalid/ol__proxy-fluentd__event_no_run_id.json'),
      {
        authorization: `Bearer ${token}`,
      },
    )
    expect(((await noRunId.json()) as { error: { message: string } }).error.message).toContain(
      "run: must have required property 'runId'",
    )
  })

  it('stores an event once, however often it comes, and takes gzip', async () => {
    const event = example('marquez__event_simple.json')
    const again = await post('/api/v1/lineage', event, { authorization: `Bearer ${token}` })
    expect(again.status).toBe(201)
    expect(((await again.json()) as { data: { stored: boolean } }).data.stored).toBe(false)
    const fresh = { ...event, eventTime: '2026-11-22T03:04:05.000Z' }
    const zipped = await app.request('/api/v1/lineage', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${token}`,
      },
      body: gzipSync(JSON.stringify(fresh)),
    })
    expect(zipped.status).toBe(201)
    expect(((await zipped.json()) as { data: { stored: boolean } }).data.stored).toBe(true)
  })

  it('shows received events in the graph, as Marquez would', async () => {
    const event = example('ct__airflow__line_31.json') as {
      job: { namespace: string; name: string }
      inputs?: { namespace: string; name: string }[]
      outputs?: { namespace: string; name: string }[]
    }
    const jobId = `job:${event.job.namespace}:${event.job.name}`
    const { status, body } = await get<{ graph: GraphNode[] }>(
      `/api/v1/lineage?nodeId=${encodeURIComponent(jobId)}&depth=1`,
    )
    expect(status).toBe(200)
    const ids = body.graph.map((n) => n.id)
    expect(ids).toContain(jobId)
    for (const d of [...(event.inputs ?? []), ...(event.outputs ?? [])])
      expect(ids).toContain(`dataset:${d.namespace}:${d.name}`)
    const job = body.graph.find((n) => n.id === jobId)
    expect(job?.inEdges.length).toBeGreaterThanOrEqual(4)
    expect(job?.outEdges.length).toBeGreaterThanOrEqual(1)
  })

  it('draws our own pipelines: feeds, fusion, published dataset and its quality check', async () => {
    const node = 'dataset:gov-data-portal:person-address-pa'
    const { body } = await get<{ graph: GraphNode[] }>(`/api/v1/lineage?nodeId=${node}&depth=2`)
    const ids = body.graph.map((n) => n.id).sort()
    expect(ids).toEqual(
      expect.arrayContaining([
        node,
        'job:gov-data-portal:fuse.person_address_pa',
        'job:gov-data-portal:quality.person_address_pa',
        'dataset:gov-data-portal.staging:dos_persons',
        'dataset:gov-data-portal.staging:sla_addresses',
      ]),
    )
    const fusion = body.graph.find((n) => n.id === 'job:gov-data-portal:fuse.person_address_pa')
    expect(fusion?.type === 'JOB' && fusion.data.latestRun?.state).toBe('COMPLETED')
    const dataset = body.graph.find((n) => n.id === node)
    expect(dataset?.type === 'DATASET' && dataset.data.fields.map((f) => f.name)).toContain(
      'person_key',
    )
    // Depth counts edges: one step from the dataset reaches its jobs, not their inputs.
    const near = await get<{ graph: GraphNode[] }>(`/api/v1/lineage?nodeId=${node}&depth=1`)
    expect(near.body.graph.map((n) => n.id)).not.toContain(
      'dataset:gov-data-portal.staging:dos_persons',
    )
  })

  it("lists a job's runs with state, duration, rows and quality", async () => {
    const { status, body } = await get<{
      runs: { state: string; durationMs: number | null; outputs: { rowCount?: number }[] }[]
      totalCount: number
    }>('/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs')
    expect(status).toBe(200)
    expect(body.totalCount).toBeGreaterThanOrEqual(1)
    expect(body.runs[0]).toMatchObject({ state: 'COMPLETED', durationMs: expect.any(Number) })
    expect(body.runs[0]?.outputs[0]?.rowCount).toBeGreaterThan(0)
    const quality = await get<{ runs: { quality: { passed: number; failed: number }[] }[] }>(
      '/api/v1/namespaces/gov-data-portal/jobs/quality.person_address_pa/runs',
    )
    expect(quality.body.runs[0]?.quality[0]?.passed).toBeGreaterThan(0)
  })

  it('answers column lineage from a received columnLineage facet, transformations kept', async () => {
    const event = example('composed/composed__run-complete-dataquality-columnLineage.json') as {
      outputs: {
        namespace: string
        name: string
        facets: { columnLineage: { fields: Record<string, unknown> } }
      }[]
    }
    const output = event.outputs.find((o) => o.facets?.columnLineage)
    if (!output) throw new Error('the example has column lineage')
    const field = Object.keys(output.facets.columnLineage.fields)[0] ?? ''
    const { status, body } = await get<{
      graph: { id: string; data: { inputFields: { transformations: unknown[] }[] } }[]
    }>(
      `/api/v1/column-lineage?nodeId=${encodeURIComponent(`datasetField:${output.namespace}:${output.name}:${field}`)}`,
    )
    expect(status).toBe(200)
    const target = body.graph.find(
      (n) => n.id === `datasetField:${output.namespace}:${output.name}:${field}`,
    )
    expect(target?.data.inputFields.length).toBeGreaterThan(0)
  })

  it('traces our published columns back to the feeds, derived from the pipeline SQL', async () => {
    const { status, body } = await get<{
      graph: {
        id: string
        data: {
          inputFields: {
            namespace: string
            dataset: string
            field: string
            transformations: { subtype: string; masking?: boolean }[]
          }[]
        }
      }[]
    }>('/api/v1/column-lineage?nodeId=datasetField:gov-data-portal:person-address-pa:person_key')
    expect(status).toBe(200)
    const key = body.graph.find(
      (n) => n.id === 'datasetField:gov-data-portal:person-address-pa:person_key',
    )
    expect(key?.data.inputFields).toEqual([
      {
        namespace: 'gov-data-portal.staging',
        dataset: 'dos_persons',
        field: 'uinfin',
        transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }],
      },
    ])
  })

  it('links datasets other tools report to our catalogue by name or symlink; others stay lineage-only', async () => {
    const landing = { namespace: 's3://landing-bucket', name: 'exports/person-address-pa.parquet' }
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2026-11-22T06:00:00Z',
      producer: 'https://github.com/apache/airflow',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '0193f3a4-8c1e-7d2a-9b1c-3f2e1d0c9b01' },
      job: { namespace: 'airflow://moh', name: 'export_to_s3.copy' },
      inputs: [{ namespace: 'gov-data-portal', name: 'person-address-pa' }],
      outputs: [
        {
          ...landing,
          facets: {
            symlinks: {
              _producer: 'https://github.com/apache/airflow',
              _schemaURL:
                'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet',
              identifiers: [
                { namespace: 'gov-data-portal', name: 'person-address-pa', type: 'TABLE' },
              ],
            },
          },
        },
        { namespace: 's3://landing-bucket', name: 'exports/other.csv' },
      ],
    }
    expect(
      (await post('/api/v1/lineage', event, { authorization: `Bearer ${mohToken}` })).status,
    ).toBe(201)
    const at = (d: { namespace: string; name: string }) =>
      `/api/v1/namespaces/${encodeURIComponent(d.namespace)}/datasets/${encodeURIComponent(d.name)}`
    const linked = await get<{
      catalogue: { slug: string } | null
      lineageOnly: boolean
      readBy: unknown[]
      writtenBy: unknown[]
    }>(at(landing))
    expect(linked.status).toBe(200)
    expect(linked.body).toMatchObject({
      catalogue: { slug: 'person-address-pa' },
      lineageOnly: false,
    })
    const other = await get<{ lineageOnly: boolean }>(
      at({ namespace: 's3://landing-bucket', name: 'exports/other.csv' }),
    )
    expect(other.body.lineageOnly).toBe(true)
    const ours = await get<{
      catalogue: { slug: string }
      aliases: unknown[]
      readBy: unknown[]
      versions: unknown[]
    }>(at({ namespace: 'gov-data-portal', name: 'person-address-pa' }))
    expect(ours.body.catalogue).toEqual({ slug: 'person-address-pa' })
    expect(ours.body.aliases).toContainEqual(landing)
    expect(ours.body.readBy).toContainEqual({
      namespace: 'airflow://moh',
      name: 'export_to_s3.copy',
    })
    expect(ours.body.versions.length).toBeGreaterThan(0)

    // Lineage search lists both exports: one linked to our catalogue entry, one lineage-only.
    const found = await get<{
      totalCount: number
      results: { nodeId: string; catalogue: { slug: string } | null; lineageOnly: boolean }[]
    }>('/api/v1/search?q=EXPORTS/&filter=DATASET')
    expect(found.body.totalCount).toBe(2)
    expect(found.body.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          nodeId: `dataset:${landing.namespace}:${landing.name}`,
          catalogue: { slug: 'person-address-pa' },
          lineageOnly: false,
        }),
        expect.objectContaining({
          nodeId: 'dataset:s3://landing-bucket:exports/other.csv',
          catalogue: null,
          lineageOnly: true,
        }),
      ]),
    )
    // Our fusion names its published file as an alias (`file` + path, the spec's naming): a
    // Spark job reading that file is linked back to the catalogue entry.
    const symlinks = (
      ours.body as unknown as {
        facets: { symlinks: { identifiers: { namespace: string; name: string }[] } }
      }
    ).facets.symlinks.identifiers
    expect(symlinks).toEqual([
      expect.objectContaining({
        namespace: 'file',
        name: expect.stringMatching(/\/tc\/person-address-pa\/v\d+\.parquet$/),
      }),
    ])
    const file = { namespace: 'file', name: symlinks[0]?.name as string }
    const spark = {
      ...event,
      producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/spark',
      run: { runId: '0193f3a4-8c1e-7d2a-9b1c-3f2e1d0c9b02' },
      job: { namespace: 'spark://moh-analytics', name: 'chronic_by_area.execute_insert' },
      inputs: [file],
      outputs: [],
    }
    expect(
      (await post('/api/v1/lineage', spark, { authorization: `Bearer ${mohToken}` })).status,
    ).toBe(201)
    expect((await get<{ catalogue: unknown }>(at(file))).body.catalogue).toEqual({
      slug: 'person-address-pa',
    })

    // Wildcards in the text are taken literally.
    expect((await get<{ totalCount: number }>('/api/v1/search?q=%25')).body.totalCount).toBe(0)
  })

  it('takes batches, keeping the valid events of a partly invalid one', async () => {
    const good = { ...example('marquez__event_simple.json'), eventTime: '2026-11-22T05:00:00.000Z' }
    const bad = example('invalid/ol__proxy-fluentd__event_no_run_id.json')
    const res = await post('/api/v1/lineage/batch', [good, bad], {
      authorization: `Bearer ${token}`,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      status: 'partial_success',
      summary: { received: 2, successful: 1, failed: 1 },
      failed_events: [{ index: 1, retriable: false, reason: expect.stringContaining('runId') }],
    })
  })

  it('refuses events from officers, bad JSON and unknown nodes with messages', async () => {
    const officerPost = await post(
      '/api/v1/lineage',
      example('marquez__event_simple.json'),
      officer,
    )
    expect(officerPost.status).toBe(403)
    const notJson = await app.request('/api/v1/lineage', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{not json',
    })
    expect(notJson.status).toBe(400)
    const unknown = await get<{ error: { message: string } }>(
      '/api/v1/lineage?nodeId=dataset:nowhere:nothing',
    )
    expect(unknown.status).toBe(404)
    const badDepth = await get<{ error: { message: string } }>(
      '/api/v1/lineage?nodeId=dataset:a:b&depth=99',
    )
    expect(badDepth.status).toBe(400)
    expect(badDepth.body.error.message).toMatch(/depth/)
  })

  describe('namespaces are owned', () => {
    let sla: Record<string, string>
    let slaToken: string
    const schemaFacet = (fields: string[]) => ({
      _producer: 'https://github.com/apache/airflow',
      _schemaURL:
        'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
      fields: fields.map((name) => ({ name, type: 'VARCHAR' })),
    })
    let runs = 0
    const runEventOf = (
      job: { namespace: string; name: string },
      more: { runId?: string; inputs?: unknown[]; outputs?: unknown[]; eventType?: string } = {},
    ) => ({
      eventType: more.eventType ?? 'COMPLETE',
      eventTime: `2026-12-06T0${Math.floor(runs / 60) % 10}:${String(runs % 60).padStart(2, '0')}:00Z`,
      producer: 'https://github.com/apache/airflow',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: more.runId ?? `0193f3a4-8c1e-7d2a-9b1c-${String(++runs).padStart(12, '0')}` },
      job,
      inputs: more.inputs ?? [],
      outputs: more.outputs ?? [],
    })
    const send = async (
      event: unknown,
      headers: Record<string, string> = { authorization: `Bearer ${slaToken}` },
    ) => {
      const res = await post('/api/v1/lineage', event, headers)
      return { status: res.status, body: (await res.json()) as { error?: { message: string } } }
    }
    const audited = async (action: string) =>
      (await runtime.audit.list({ limit: 1000 })).filter((e) => e.action === action)
    const personAddress = '/api/v1/namespaces/gov-data-portal/datasets/person-address-pa'
    const fieldsOf = async (path: string) =>
      (await get<{ fields: { name: string }[] }>(path)).body.fields.map((f) => f.name)

    beforeAll(async () => {
      sla = await signInAs(app, 'steward.sla')
      slaToken = await tokenOf(sla)
    })

    it('lets administrators register, list and remove namespaces; nobody else changes them', async () => {
      const body = { namespace: 'airflow://sla-ops', agency: 'sla' }
      for (const caller of [sla, officer, steward])
        expect((await post('/api/v1/lineage/namespaces', body, caller)).status).toBe(403)
      const created = await post('/api/v1/lineage/namespaces', body, admin)
      expect(created.status).toBe(201)
      expect(await created.json()).toMatchObject({
        ok: true,
        data: { namespace: 'airflow://sla-ops', agency: 'SLA', registeredBy: 'admin' },
      })
      expect((await post('/api/v1/lineage/namespaces', body, admin)).status).toBe(200)
      const taken = await post('/api/v1/lineage/namespaces', { ...body, agency: 'DOS' }, admin)
      expect(taken.status).toBe(409)
      const refusals = [
        [{ namespace: 'Gov-Data-Portal/', agency: 'SLA' }, 409, /platform's own namespace/],
        [
          { namespace: 'AIRFLOW://SLA-OPS', agency: 'SLA' },
          409,
          /registered as 'airflow:\/\/sla-ops'/,
        ],
        [{ namespace: 'airflow://x', agency: 'NOPE' }, 400, /no agency 'NOPE'/],
        [{ namespace: 'airflow://\u200Bx', agency: 'SLA' }, 400, /printable ASCII only/],
        // Lookalikes: a Cyrillic о, a Hangul filler, a Braille blank.
        [{ namespace: 'g\u043Ev-data-portal', agency: 'SLA' }, 400, /printable ASCII only/],
        [{ namespace: '\u3164gov-data-portal', agency: 'SLA' }, 400, /printable ASCII only/],
        [{ namespace: 's3://dos-statistics\u2800', agency: 'SLA' }, 400, /printable ASCII only/],
      ] as const
      for (const [request, status, message] of refusals) {
        const res = await post('/api/v1/lineage/namespaces', request, admin)
        expect(res.status, JSON.stringify(request)).toBe(status)
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
          message,
        )
      }
      const list = await get<{ data: { namespace: string; agency: string }[] }>(
        '/api/v1/lineage/namespaces',
      )
      expect(list.status).toBe(200)
      expect(list.body.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ namespace: 'airflow://sla', agency: 'SLA' }),
          expect.objectContaining({ namespace: 'airflow://sla-ops', agency: 'SLA' }),
          expect.objectContaining({ namespace: 's3://landing-bucket', agency: 'MOH' }),
        ]),
      )
      const remove = (headers: Record<string, string>) =>
        app.request(`/api/v1/lineage/namespaces/${encodeURIComponent('airflow://sla-ops')}`, {
          method: 'DELETE',
          headers,
        })
      expect((await remove(sla)).status).toBe(403)
      expect((await remove(admin)).status).toBe(200)
      expect((await remove(admin)).status).toBe(404)
      expect(
        (await audited('lineage.namespace.register')).find(
          (e) => e.details.namespace === 'airflow://sla-ops',
        ),
      ).toMatchObject({ actor: 'admin', outcome: 'succeeded', details: { agency: 'SLA' } })
      expect(await audited('lineage.namespace.unregister')).toEqual([
        expect.objectContaining({ details: { namespace: 'airflow://sla-ops', agency: 'SLA' } }),
      ])
    })

    it("refuses a steward's events into the platform's namespace, however spelt, and audits it", async () => {
      const before = await fieldsOf(personAddress)
      const forged = (namespace: string) =>
        runEventOf(
          { namespace, name: 'fuse.person_address_pa' },
          {
            outputs: [
              {
                namespace,
                name: 'person-address-pa',
                facets: { schema: schemaFacet([...before, 'nric_in_clear']) },
              },
            ],
          },
        )
      for (const namespace of [
        'gov-data-portal',
        'Gov-Data-Portal',
        'gov-data-portal/',
        ' gov-data-portal',
        'gov%2Ddata-portal',
        'gov-data-portal.staging',
      ]) {
        const { status, body } = await send(forged(namespace))
        expect(status, namespace).toBe(403)
        expect(body.error?.message).toContain(
          `Lineage namespace '${namespace}' (job fuse.person_address_pa) is the platform's own`,
        )
      }
      // Sessions and administrators are no different.
      expect((await send(forged('gov-data-portal'), sla)).status).toBe(403)
      expect((await send(forged('gov-data-portal'), admin)).status).toBe(403)
      expect(await fieldsOf(personAddress)).toEqual(before)
      expect(before).not.toContain('nric_in_clear')
      // Each refusal is in the audit trail, naming the namespace, the job and the run.
      const denied = (await audited('access.denied')).filter((e) =>
        String(e.details.reason).includes("is the platform's own"),
      )
      expect(denied.length).toBeGreaterThanOrEqual(8)
      expect(denied.find((e) => e.actor === 'steward.sla')?.details).toMatchObject({
        method: 'POST',
        path: '/api/v1/lineage',
        reason: expect.stringMatching(
          /^Refused the COMPLETE of run \S+ of job gov-data-portal:fuse.person_address_pa/,
        ),
      })
    })

    it("refuses events writing another agency's or an unregistered namespace, or another job's run", async () => {
      const job = { namespace: 'airflow://sla', name: 'export.persons' }
      const refused = [
        // An output in DOS's namespace, or facets on a DOS dataset read as an input.
        runEventOf(job, { outputs: [{ namespace: 's3://dos-statistics', name: 'persons' }] }),
        runEventOf(job, {
          inputs: [
            {
              namespace: 's3://dos-statistics',
              name: 'persons',
              facets: { schema: schemaFacet(['x']) },
            },
          ],
        }),
        runEventOf(job, {
          inputs: [
            {
              namespace: 'gov-data-portal',
              name: 'person-address-pa',
              facets: { schema: schemaFacet(['nric_in_clear']) },
            },
          ],
        }),
        // A job in DOS's namespace; a namespace nobody registered; a spelling of its own.
        runEventOf({ namespace: 'airflow://dos', name: 'fuse.persons' }),
        runEventOf({ namespace: 'airflow://sla-unregistered', name: 'j' }),
        runEventOf({ namespace: 'AIRFLOW://SLA/', name: 'j' }),
        {
          eventTime: '2026-12-06T00:00:00Z',
          producer: 'https://github.com/apache/airflow',
          schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
          dataset: {
            namespace: 'airflow://dos',
            name: 'x',
            facets: { schema: schemaFacet(['y']) },
          },
        },
        // A dataset of the platform's namespace that it never published, named as an input.
        runEventOf(job, { inputs: [{ namespace: 'gov-data-portal', name: 'nric-master-list' }] }),
      ]
      const messages: string[] = []
      for (const event of refused) {
        const { status, body } = await send(event)
        expect(status, JSON.stringify(event)).toBe(403)
        messages.push(body.error?.message ?? '')
      }
      expect(messages[0]).toContain(
        "'s3://dos-statistics' (output dataset persons) is registered to DOS",
      )
      expect(messages[1]).toContain('(facets of input dataset persons) is registered to DOS')
      expect(messages[2]).toContain("is the platform's own")
      expect(messages[3]).toContain("'airflow://dos' (job fuse.persons) is registered to DOS")
      expect(messages[4]).toContain('is not registered to any agency: an administrator registers')
      expect(messages[5]).toContain("is registered as 'airflow://sla'")
      expect(messages[6]).toMatch(
        /^Refused the DatasetEvent of airflow:\/\/dos:x: .* registered to DOS/,
      )
      expect(messages[7]).toContain(
        'input dataset gov-data-portal:nric-master-list is not one the platform published',
      )
      expect(
        (await get('/api/v1/namespaces/gov-data-portal/datasets/nric-master-list')).status,
      ).toBe(404)
      // A completed run of the platform's fusion, claimed under a job of one's own.
      const fusion = await get<{ runs: { id: string; state: string }[] }>(
        '/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs',
      )
      const platformRun = fusion.body.runs[0]?.id as string
      const hijack = await send(runEventOf(job, { runId: platformRun, eventType: 'FAIL' }))
      expect(hijack.status).toBe(403)
      expect(hijack.body.error?.message).toContain(
        `run ${platformRun} is a run of job gov-data-portal:fuse.person_address_pa`,
      )
      const after = await get<{ runs: { id: string; state: string }[] }>(
        '/api/v1/namespaces/gov-data-portal/jobs/fuse.person_address_pa/runs',
      )
      expect(after.body.runs).toEqual(fusion.body.runs)
      // Nothing of any of it reached the graph.
      const search = await get<{ totalCount: number }>('/api/v1/search?q=export.persons')
      expect(search.body.totalCount).toBe(0)
    })

    it('accepts events into its own namespaces and audits each: who, namespace, job, run, type', async () => {
      // Reading the platform's dataset (no facets of it) and naming a job as the platform names
      // its own are both fine, in one's own namespace.
      const event = runEventOf(
        { namespace: 'airflow://sla', name: 'fuse.person_address_pa' },
        {
          inputs: [{ namespace: 'gov-data-portal', name: 'person-address-pa' }],
          outputs: [
            {
              namespace: 'postgres://sla-geospatial.gov.example:5432',
              name: 'public.addresses',
              facets: { schema: schemaFacet(['postal_code']) },
            },
          ],
        },
      )
      const { status } = await send(event)
      expect(status).toBe(201)
      const again = await send(event)
      expect(again.status).toBe(201)
      const entries = (await audited('lineage.event')).filter(
        (e) => e.details.runId === event.run.runId,
      )
      expect(entries.map((e) => e.details.stored)).toEqual([false, true])
      expect(entries[1]).toMatchObject({
        actor: 'steward.sla',
        outcome: 'succeeded',
        subjectType: 'LineageEvent',
        subjectId: event.run.runId,
        details: {
          kind: 'RunEvent',
          namespace: 'airflow://sla',
          job: 'fuse.person_address_pa',
          runId: event.run.runId,
          eventType: 'COMPLETE',
        },
      })
      expect(entries[1]?.actorId).toBeTruthy()
      expect(await fieldsOf(personAddress)).not.toContain('nric_in_clear')
    })

    it('refuses a batch with any event the caller may not send, storing none of it', async () => {
      const own = runEventOf({ namespace: 'airflow://sla', name: 'batch.own' })
      const foreign = runEventOf({ namespace: 'airflow://moh', name: 'batch.foreign' })
      const invalid = example('invalid/ol__proxy-fluentd__event_no_run_id.json')
      const mixed = await post('/api/v1/lineage/batch', [own, invalid, foreign], {
        authorization: `Bearer ${slaToken}`,
      })
      expect(mixed.status).toBe(403)
      expect(((await mixed.json()) as { error: { message: string } }).error.message).toMatch(
        /^Event 2 of the batch: Refused the COMPLETE of run \S+ of job airflow:\/\/moh:batch.foreign: .* registered to MOH.*Nothing of the batch was stored/,
      )
      expect((await get('/api/v1/lineage?nodeId=job:airflow://sla:batch.own')).status).toBe(404)
      expect((await audited('lineage.event')).some((e) => e.details.runId === own.run.runId)).toBe(
        false,
      )
      // All its own: each event stored and audited, the invalid one reported as before.
      const second = runEventOf({ namespace: 'airflow://sla', name: 'batch.own' })
      const res = await post('/api/v1/lineage/batch', [own, invalid, second], {
        authorization: `Bearer ${slaToken}`,
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        status: 'partial_success',
        summary: { received: 3, successful: 2, failed: 1 },
        failed_events: [{ index: 1 }],
      })
      const runIds = (await audited('lineage.event')).map((e) => e.details.runId)
      expect(runIds).toEqual(expect.arrayContaining([own.run.runId, second.run.runId]))
    })
  })
})
