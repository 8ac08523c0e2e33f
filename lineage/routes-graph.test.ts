import { beforeAll, describe, expect, it } from 'vitest'
import type { GraphNode } from './lineage-graph.js'
import { useLineageApi } from './routes-test-kit.js'

const { platform, post, get, tokenOf } = useLineageApi(['steward.moh'])
// An MOH steward's API token (write scope), as MOH's producers use.
let mohToken: string
beforeAll(async () => {
  mohToken = await tokenOf(platform.as['steward.moh'])
})

describe("the platform's own lineage through the API", () => {
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
        assumed: false,
      },
    ])
  })

  it("follows a published column through every hop to the feed's column, as each job reports it", async () => {
    const column = (field: string) =>
      get<ColumnTrace>(
        `/api/v1/column-lineage?nodeId=${encodeURIComponent(`datasetField:gov-data-portal:person-address-pa:${field}`)}`,
      )
    const { body } = await column('person_key')
    // published ← staging (reported by fusion) ← the ICA delivery (reported by the ingest)
    expect(body.graph.map((n) => n.id)).toEqual([
      'datasetField:gov-data-portal:person-address-pa:person_key',
      'datasetField:gov-data-portal.staging:dos_persons:uinfin',
      'datasetField:feeds://ica:dos_persons:uinfin',
    ])
    expect(body.graph.map((n) => n.data.inputFields.map((i) => i.assumed))).toEqual([
      [false],
      [false],
      [],
    ])
    expect(body.graph[1]?.data.inputFields[0]?.transformations).toEqual([
      {
        type: 'DIRECT',
        subtype: 'TRANSFORMATION',
        description: 'Surrounding blanks removed and letters upper-cased',
      },
    ])
    expect(body.graph[2]?.data.fieldType).toBe('VARCHAR')
    // The town's name comes from a reference table the fusion reports reading: a node like any.
    const area = await column('planning_area_name')
    expect(area.body.graph.map((n) => n.id)).toEqual([
      'datasetField:gov-data-portal:person-address-pa:planning_area_name',
      'datasetField:gov-data-portal.reference:ref_planning_areas:name',
    ])
    expect(area.body.graph[0]?.data.inputFields.map((i) => i.assumed)).toEqual([false])
    expect(area.body.graph[1]?.data.fieldType).toBe('VARCHAR')
    const graph = await get<{ graph: GraphNode[] }>(
      '/api/v1/lineage?nodeId=dataset:gov-data-portal:person-address-pa&depth=2',
    )
    const reference = graph.body.graph.find(
      (n) => n.id === 'dataset:gov-data-portal.reference:ref_planning_areas',
    )
    expect(reference?.outEdges).toContainEqual({
      origin: 'dataset:gov-data-portal.reference:ref_planning_areas',
      destination: 'job:gov-data-portal:fuse.person_address_pa',
    })
  })

  it('traces every column the Trusted Centre publishes to its sources, no hop assumed', async () => {
    const catalogue = await get<{ data: { slug: string; columns: { name: string }[] }[] }>(
      '/api/datasets',
      platform.as.admin,
    )
    // Every published dataset a Trusted Centre fusion writes, with the column lineage it reported.
    const published = (
      await Promise.all(
        catalogue.body.data.map(async (dataset) => {
          const { body } = await get<{
            writtenBy: { name: string }[]
            facets: { columnLineage?: { fields: Record<string, unknown> } }
          }>(`/api/v1/namespaces/gov-data-portal/datasets/${dataset.slug}`, platform.as.admin)
          return { ...dataset, ...body }
        }),
      )
    ).filter((dataset) => dataset.writtenBy.some((job) => job.name.startsWith('fuse.')))
    expect(published.length).toBeGreaterThan(5)
    const traced = await Promise.all(
      published.flatMap((dataset) =>
        dataset.columns.map(async ({ name }) => {
          const nodeId = `datasetField:gov-data-portal:${dataset.slug}:${name}`
          const { status, body } = await get<ColumnTrace>(
            `/api/v1/column-lineage?nodeId=${encodeURIComponent(nodeId)}`,
            platform.as.admin,
          )
          const reported = Object.hasOwn(dataset.facets.columnLineage?.fields ?? {}, name)
          return { column: `${dataset.slug}.${name}`, status, reported, graph: body.graph }
        }),
      ),
    )
    expect(traced.length).toBeGreaterThan(50)
    const problems = traced.flatMap(({ column, status, reported, graph }) => {
      if (status !== 200) return [`${column}: ${status}`]
      // A count of rows is made from no column: the fusion reports it so, with no input.
      if (!reported) return [`${column}: no column lineage reported`]
      const steps = graph.flatMap((n) => n.data.inputFields.map((i) => ({ to: n.id, ...i })))
      const assumed = steps
        .filter((step) => step.assumed)
        .map((step) => `${column}: ${step.to} from ${step.dataset}.${step.field} assumed`)
      // Each trace ends at the feeds, the reference tables or where an ingest stamped the row.
      const leaves = graph
        .slice(1)
        .filter((n) => n.data.inputFields.length === 0 && !isSource(n.data))
        .map((n) => `${column}: ends at ${n.id}`)
      return [...assumed, ...leaves]
    })
    expect(problems).toEqual([])
  })
})

/** A column trace as the API answers it. */
type ColumnTrace = {
  graph: {
    id: string
    data: {
      namespace: string
      dataset: string
      field: string
      fieldType: string | null
      inputFields: {
        namespace: string
        dataset: string
        field: string
        transformations: unknown[]
        assumed: boolean
      }[]
    }
  }[]
}

/** Where our own columns may start: a feed's delivery, a reference table, a staged row's stamp. */
function isSource(column: { namespace: string; field: string }): boolean {
  return (
    column.namespace.startsWith('feeds://') ||
    column.namespace === 'gov-data-portal.reference' ||
    (column.namespace === 'gov-data-portal.staging' && ['_row', '_run'].includes(column.field))
  )
}

describe('datasets other tools report, linked to the catalogue', () => {
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
})
