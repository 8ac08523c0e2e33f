import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../fixtures/index.js'
import { lineageFacets } from './facets.js'
import { createLineageGraph } from './lineage-graph.js'
import { createLineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { PORTAL_NAMESPACE } from './producer.js'
import { lineageRunId, runEvent } from './run-event.js'

describe.each(TEST_BACKENDS)('lineage store on %s', (backend) => {
  let test: TestDatabase<LineageTables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
  })
  afterAll(() => test.close())

  it('keeps each event once and returns a run in time order', async () => {
    const store = createLineageStore(test.db)
    const start = runEvent({
      eventType: 'START',
      eventTime: new Date('2026-11-22T01:00:00Z'),
      runId: 'run_a',
      job: { name: 'fuse.x', type: 'FUSION' },
    })
    const complete = runEvent({
      eventType: 'COMPLETE',
      eventTime: new Date('2026-11-22T01:00:05Z'),
      runId: 'run_a',
      job: { name: 'fuse.x', type: 'FUSION' },
      outputs: [
        {
          namespace: 'gov-data-portal',
          name: 'x',
          outputFacets: {
            outputStatistics: lineageFacets.outputStatistics({ rowCount: 3, size: 10 }),
          },
        },
      ],
    })
    await store.record(complete)
    await store.record(start)
    await store.record(complete)
    expect(await store.eventsOfRun(lineageRunId('run_a'))).toEqual([start, complete])
    expect((await store.eventsOfJob('fuse.x')).map((e) => e.eventType)).toEqual([
      'COMPLETE',
      'START',
    ])
    expect(lineageRunId('run_a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
  })

  it('folds events into runs, facets and edges, whatever order they arrive in', async () => {
    const store = createLineageStore(test.db)
    const graph = createLineageGraph(test.db)
    const job = { name: 'fuse.order', type: 'FUSION' }
    const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 2, 0, s))
    const doc = (text: string) => ({ documentation: lineageFacets.datasetDocumentation(text) })
    const input = { namespace: 'feeds://dos', name: 'persons' }
    // COMPLETE first, then a late START, then an OTHER: the run stays COMPLETED, times right.
    await store.record(
      runEvent({
        eventType: 'COMPLETE',
        eventTime: at(30),
        runId: 'r_order',
        job,
        inputs: [{ ...input, facets: doc('newer') }],
      }),
    )
    await store.record(
      runEvent({
        eventType: 'START',
        eventTime: at(0),
        runId: 'r_order',
        job,
        inputs: [
          {
            ...input,
            facets: {
              ...doc('older'),
              schema: lineageFacets.schema([{ name: 'uin', type: 'VARCHAR' }]),
            },
          },
        ],
      }),
    )
    await store.record(runEvent({ eventType: 'OTHER', eventTime: at(40), runId: 'r_order', job }))
    const { runs } = await graph.runs(
      { namespace: PORTAL_NAMESPACE, name: 'fuse.order' },
      { limit: 5, offset: 0 },
    )
    expect(runs[0]).toMatchObject({ state: 'COMPLETED', durationMs: 30_000 })
    const found = await graph.graph(`dataset:${input.namespace}:${input.name}`, {
      depth: 1,
      visible: () => true,
    })
    const node = found?.graph.find((n) => n.type === 'DATASET')
    // The newer documentation stands; the older event only added the schema it alone had.
    expect(node?.data.facets.documentation).toMatchObject({ description: 'newer' })
    expect(node?.data.facets.schema).toBeDefined()
    // A deleted facet goes.
    await store.record(
      runEvent({
        eventType: 'COMPLETE',
        eventTime: at(50),
        runId: 'r_later',
        job,
        inputs: [
          { ...input, facets: { documentation: { ...doc('x').documentation, _deleted: true } } },
        ],
      }),
    )
    const after = await graph.graph(`dataset:${input.namespace}:${input.name}`, {
      depth: 1,
      visible: () => true,
    })
    const facets = after?.graph.find((n) => n.type === 'DATASET')?.data.facets ?? {}
    expect(Object.keys(facets).sort()).toEqual(['schema'])
    expect(after?.graph.find((n) => n.type === 'JOB')?.inEdges).toEqual([
      {
        origin: `dataset:${input.namespace}:${input.name}`,
        destination: `job:${PORTAL_NAMESPACE}:fuse.order`,
      },
    ])
  })
})
