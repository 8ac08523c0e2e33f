import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import type { GraphNode } from './lineage-graph.js'
import { example, manifest, useLineageApi } from './routes-test-kit.js'

const { platform, post, get, tokenOf } = useLineageApi(['steward.dos'])
// A steward's API token (write scope), as the producers use.
let token: string
beforeAll(async () => {
  token = await tokenOf(platform.as['steward.dos'])
})

describe('lineage events received through the API', () => {
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
    const zipped = await platform.app.request('/api/v1/lineage', {
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
      platform.as['officer.moe'],
    )
    expect(officerPost.status).toBe(403)
    const notJson = await platform.app.request('/api/v1/lineage', {
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
})
