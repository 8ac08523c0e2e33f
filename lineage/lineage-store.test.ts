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

  it("runs the caller's step inside the event's transaction: both stored, or neither", async () => {
    const store = createLineageStore(test.db)
    const event = runEvent({
      eventType: 'START',
      eventTime: new Date('2026-12-06T01:00:00Z'),
      runId: 'r_within',
      job: { name: 'fuse.within', type: 'FUSION' },
    })
    await expect(
      store.record(event, [], {
        within: async () => {
          throw new Error('audit failed')
        },
      }),
    ).rejects.toThrow('audit failed')
    expect(await store.eventsOfRun(lineageRunId('r_within'))).toEqual([])
    const seen: boolean[] = []
    const within = async (_: unknown, result: { stored: boolean }) => seen.push(result.stored)
    await store.record(event, [], { within })
    await store.record(event, [], { within })
    expect(seen).toEqual([true, false])
    // Many events in one transaction: all, or (one refused) none, with each one's result.
    const batch = (runId: string, name: string) => ({
      event: runEvent({
        eventType: 'START',
        eventTime: new Date('2026-12-06T01:30:00Z'),
        runId,
        job: { name, type: 'FUSION' },
      }),
    })
    await expect(
      store.recordAll([batch('r_all_1', 'fuse.all'), batch('r_within', 'fuse.other')]),
    ).rejects.toThrow(/is a run of another job/)
    expect(await store.eventsOfRun(lineageRunId('r_all_1'))).toEqual([])
    let results: readonly { stored: boolean }[] = []
    await store.recordAll([batch('r_all_1', 'fuse.all'), batch('r_all_1', 'fuse.all')], {
      within: async (_, r) => {
        results = r
      },
    })
    expect(results).toEqual([{ stored: true }, { stored: false }])
    expect(await store.recordAll([])).toEqual([])
    expect(await store.jobsOfRuns([lineageRunId('r_within'), 'unknown'])).toEqual(
      new Map([[lineageRunId('r_within'), { namespace: PORTAL_NAMESPACE, name: 'fuse.within' }]]),
    )
  })

  it('never lets an event under another job complete or change a run', async () => {
    const store = createLineageStore(test.db)
    const graph = createLineageGraph(test.db)
    await store.record(
      runEvent({
        eventType: 'START',
        eventTime: new Date('2026-12-06T02:00:00Z'),
        runId: 'r_owned',
        job: { name: 'fuse.owned', type: 'FUSION' },
      }),
    )
    const forged = {
      ...runEvent({
        eventType: 'COMPLETE',
        eventTime: new Date('2026-12-06T02:00:05Z'),
        runId: 'r_owned',
        job: { name: 'fuse.owned', type: 'FUSION' },
      }),
      job: { namespace: 'airflow://sla', name: 'fuse.owned' },
    }
    await expect(store.record(forged)).rejects.toThrow(
      /is a run of another job, not of airflow:\/\/sla:fuse.owned/,
    )
    const { runs } = await graph.runs(
      { namespace: PORTAL_NAMESPACE, name: 'fuse.owned' },
      { limit: 5, offset: 0 },
    )
    expect(runs.map((r) => r.state)).toEqual(['RUNNING'])
    expect((await store.eventsOfRun(lineageRunId('r_owned'))).length).toBe(1)
  })
})
