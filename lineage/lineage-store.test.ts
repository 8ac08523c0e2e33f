import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  openTestDatabase,
  TEST_BACKENDS,
  type TestBackend,
  type TestDatabase,
} from '../testing/index.js'
import { canonicalJson } from '../text/index.js'
import type { LineageEvent } from './events.js'
import { lineageFacets } from './facets.js'
import { visibilityOf } from './graph/entity-id.js'
import { createLineageGraph } from './lineage-graph.js'
import { createLineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { tableBacklog } from './outbox.js'
import { PORTAL_NAMESPACE } from './producer.js'
import { lineageRunId, runEvent } from './run-event.js'

// One migrated database per backend, which the describe blocks below use in turn.
const databases = {} as Record<TestBackend, TestDatabase<LineageTables>>
beforeAll(async () => {
  for (const backend of TEST_BACKENDS)
    databases[backend] = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
})
afterAll(async () => {
  for (const test of Object.values(databases)) await test.close()
})
/** The database of `backend`, read when a test runs (it is opened before the first). */
const databaseOf = (backend: TestBackend) => ({
  get db() {
    return databases[backend].db
  },
})

describe.each(TEST_BACKENDS)('lineage store on %s: events, runs and facets', (backend) => {
  const test = databaseOf(backend)

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
      { limit: 5, offset: 0, visible: visibilityOf(() => true) },
    )
    expect(runs[0]).toMatchObject({ state: 'COMPLETED', durationMs: 30_000 })
    const found = await graph.graph(`dataset:${input.namespace}:${input.name}`, {
      depth: 1,
      visible: visibilityOf(() => true),
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
      visible: visibilityOf(() => true),
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

describe.each(TEST_BACKENDS)('lineage store on %s: transactions and run ownership', (backend) => {
  const test = databaseOf(backend)

  it("replaces a dataset's column lineage whole with its newest event's, one by one or in a group", async () => {
    const store = createLineageStore(test.db)
    const source = (field: string, type: string) => ({
      namespace: 'postgres://src',
      name: 'people',
      field,
      transformations: [{ type, subtype: 'IDENTITY' }],
    })
    const complete = (
      runId: string,
      minute: number,
      fields: Record<string, ReturnType<typeof source>[]>,
    ) =>
      runEvent({
        eventType: 'COMPLETE',
        eventTime: new Date(Date.UTC(2026, 11, 7, 3, minute)),
        runId,
        job: { name: 'fuse.columns', type: 'FUSION' },
        outputs: [
          {
            namespace: 'gov-data-portal',
            name: 'columns',
            facets: { columnLineage: lineageFacets.columnLineage(fields as never) },
          },
        ],
      })
    const edges = async () =>
      (
        await test.db
          .selectFrom('lineage_column_edges')
          .select(['field', 'input_field', 'transformations'])
          .where('name', '=', 'columns')
          .orderBy('field')
          .orderBy('input_field')
          .execute()
      ).map(
        (e) => `${e.field}<-${e.input_field}:${(e.transformations[0] as { type: string }).type}`,
      )
    await store.record(
      complete('r_col_1', 1, { id: [source('id', 'DIRECT')], age: [source('born', 'DIRECT')] }),
    )
    expect(await edges()).toEqual(['age<-born:DIRECT', 'id<-id:DIRECT'])
    // Kept, changed, dropped and new edges; an edge listed twice counts once.
    await store.record(
      complete('r_col_2', 2, {
        id: [source('id', 'DIRECT'), source('id', 'DIRECT')],
        age: [source('born', 'INDIRECT')],
        name: [source('name', 'DIRECT')],
      }),
    )
    expect(await edges()).toEqual(['age<-born:INDIRECT', 'id<-id:DIRECT', 'name<-name:DIRECT'])
    // In one group, the last event of the dataset wins.
    await store.recordAll([
      { event: complete('r_col_3', 3, { x: [source('x', 'DIRECT')] }) },
      { event: complete('r_col_4', 4, { id: [source('id', 'INDIRECT')] }) },
    ])
    expect(await edges()).toEqual(['id<-id:INDIRECT'])
  })

  it('folds an event sent again once, among new ones or repeating one in its own group', async () => {
    const store = createLineageStore(test.db)
    const complete = (runId: string, rowCount: number) =>
      runEvent({
        eventType: 'COMPLETE',
        eventTime: new Date('2026-12-07T04:00:00Z'),
        runId,
        job: { name: 'fuse.again', type: 'FUSION' },
        outputs: [
          {
            namespace: 'gov-data-portal',
            name: `again_${runId}`,
            outputFacets: {
              outputStatistics: lineageFacets.outputStatistics({ rowCount, size: 10 }),
            },
          },
        ],
      })
    const outputsOf = async (runId: string) =>
      (
        await test.db
          .selectFrom('lineage_runs')
          .select('outputs')
          .where('run_id', '=', lineageRunId(runId))
          .executeTakeFirstOrThrow()
      ).outputs.length
    const results = (all: { stored: boolean }[]) => all.map((r) => r.stored)
    expect(results(await store.recordAll([{ event: complete('r_again_1', 1) }]))).toEqual([true])
    // Taken for new, one of the group turns out kept before: stored once, folded once.
    const group = [complete('r_again_2', 2), complete('r_again_1', 1), complete('r_again_3', 3)]
    expect(results(await store.recordAll(group.map((event) => ({ event }))))).toEqual([
      true,
      false,
      true,
    ])
    // The same event twice in a group: the first is kept.
    const twice = complete('r_again_4', 4)
    expect(results(await store.recordAll([{ event: twice }, { event: twice }]))).toEqual([
      true,
      false,
    ])
    for (const runId of ['r_again_1', 'r_again_2', 'r_again_3', 'r_again_4'])
      expect(await outputsOf(runId)).toBe(1)
    expect(await store.eventsOfRun(lineageRunId('r_again_1'))).toEqual([complete('r_again_1', 1)])
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
    const facts = await store.ownershipFacts({
      namespaces: [],
      runIds: [lineageRunId('r_within'), 'unknown'],
      datasets: [],
    })
    expect(facts.runJobs).toEqual(
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
      { limit: 5, offset: 0, visible: visibilityOf(() => true) },
    )
    expect(runs.map((r) => r.state)).toEqual(['RUNNING'])
    expect((await store.eventsOfRun(lineageRunId('r_owned'))).length).toBe(1)
  })
})

describe.each(TEST_BACKENDS)('lineage store on %s: errors it withholds', (backend) => {
  const test = databaseOf(backend)

  it('rewords what failed runs of our own jobs quoted of a refused file, wherever it is kept', async () => {
    const store = createLineageStore(test.db)
    const graph = createLineageGraph(test.db)
    const backlog = tableBacklog(test.db)
    const secret = 'S9912345A'
    const at = new Date('2026-12-01T03:00:00Z')
    const fail = (runId: string, job: string, message: string, stackTrace?: string) =>
      runEvent({
        eventType: 'FAIL',
        eventTime: at,
        runId,
        job: { name: job, type: job.startsWith('fuse.') ? 'FUSION' : 'INGEST' },
        runFacets: {
          errorMessage: {
            ...lineageFacets.errorMessage(message),
            ...(stackTrace ? { stackTrace } : {}),
          },
        },
      })
    const header = 'Header of the sla_addresses delivery does not match contract v1'
    // As the Trusted Centre wrote them before 2026-12-06, with what each should say now.
    const cases = [
      {
        event: fail(
          'r_old_header',
          'ingest.sla_addresses',
          `${header}: missing columns: postal, synthetic; unexpected columns: ${secret}, Tan Secret Person`,
        ),
        now: `${header} (its columns are kept for the Trusted Centre's stewards)`,
      },
      {
        event: fail(
          'r_old_ingest',
          'ingest.moh_chronic_registry',
          `Ingest failed: Conversion Error: Could not convert string "${secret}" to INT32`,
          `line 2: ${secret},Tan Secret Person`,
        ),
        now: 'Ingest failed: the delivery could not be read; nothing was staged',
      },
      {
        event: fail(
          'r_old_fuse',
          'fuse.person_address',
          `Fusion failed: Invalid Input Error: value "${secret}" is out of range`,
        ),
        now: 'Fusion failed: the pipeline stopped with an engine error; nothing was published',
      },
      {
        event: fail('r_old_other', 'ingest.sla_addresses', `Something broke near ${secret}`),
        now: "the run failed; its details are kept for the Trusted Centre's stewards",
      },
      // Quoting nothing of the data: as it was.
      ...(
        [
          [
            'fuse.sensor_hourly',
            'Not published: blocking quality assertion failed: no_gaps observed 3, expected 0 violating rows',
          ],
          [
            'ingest.sla_addresses',
            `${header}: expected 7 columns, found 4; 4 columns not in the contract`,
          ],
        ] as const
      ).map(([job, message], i) => ({ event: fail(`r_kept_${i}`, job, message), now: message })),
    ]
    // Another tool's job of the same name, in its own namespace: its events are its own.
    const external = {
      ...fail('r_external', 'ingest.sla_addresses', `Ingest failed: bad value ${secret}`),
      job: { namespace: 'airflow://sla', name: 'ingest.sla_addresses' },
    }
    for (const event of [...cases.map((c) => c.event), external]) {
      await store.record(event)
      await backlog.add(event, ['http'], at)
    }
    const externalRow = () =>
      test.db
        .selectFrom('lineage_events')
        .select(['payload', 'body_sha256'])
        .where('job_namespace', '=', 'airflow://sla')
        .executeTakeFirstOrThrow()
    const externalBefore = await externalRow()

    const migration = lineageMigrations.migrations['20261206-13-lineage-withheld-errors']
    await migration?.up(test.db as Kysely<unknown>)

    // Nowhere in what lineage keeps of our jobs: events, runs, the outbox.
    const events = await test.db
      .selectFrom('lineage_events')
      .select(['job_namespace', 'payload', 'body_sha256'])
      .orderBy('id')
      .execute()
    const runs = await test.db.selectFrom('lineage_runs').selectAll().execute()
    const outbox = await test.db.selectFrom('lineage_outbox').select('payload').execute()
    const own = <T>(rows: T[], namespace: (row: T) => string | null) => {
      const mine = rows.filter((row) => namespace(row) === PORTAL_NAMESPACE)
      expect(mine.length).toBeGreaterThan(0)
      expect(JSON.stringify(mine)).not.toContain(secret)
      expect(JSON.stringify(mine)).not.toContain('stackTrace')
    }
    own(events, (e) => e.job_namespace)
    own(runs, (r) => r.job_namespace)
    own(outbox, (o) => (o.payload as { job: { namespace: string } }).job.namespace)
    // A rewritten event hashes as its content does, as the store would hash it arriving now.
    for (const row of events)
      expect(row.body_sha256).toBe(
        createHash('sha256').update(canonicalJson(row.payload)).digest('hex'),
      )

    for (const { event, now } of cases) {
      const job = { namespace: PORTAL_NAMESPACE, name: event.job.name }
      const { runs: listed } = await graph.runs(job, {
        limit: 20,
        offset: 0,
        visible: visibilityOf(() => true),
      })
      const run = listed.find((r) => r.id === event.run.runId)
      expect(run?.state).toBe('FAILED')
      expect(run?.facets.errorMessage).toEqual(lineageFacets.errorMessage(now))
      const [stored] = await store.eventsOfRun(event.run.runId)
      expect(stored?.run.facets?.errorMessage).toEqual(lineageFacets.errorMessage(now))
      // The old text arriving again is still the event stored: not kept a second time.
      expect(await store.record(event)).toEqual({ stored: false })
      expect(await store.eventsOfRun(event.run.runId)).toHaveLength(1)
    }
    const claimed = await backlog.claim('http', 100, new Date(at.getTime() + 1), 60_000)
    const sent = claimed.batch?.events ?? []
    expect(sent).toHaveLength(cases.length + 1)
    const errorOf = (e: LineageEvent) =>
      (e as { run?: { facets?: { errorMessage?: { message: string } } } }).run?.facets?.errorMessage
        ?.message ?? ''
    expect(sent.slice(0, -1).map(errorOf)).toEqual(cases.map((c) => c.now))

    // Another namespace's event, its run and its outbox entry: untouched.
    expect(await externalRow()).toEqual(externalBefore)
    expect(errorOf(sent.at(-1) as LineageEvent)).toBe(`Ingest failed: bad value ${secret}`)
    const [externalRun] = runs.filter((r) => r.job_namespace === 'airflow://sla')
    expect(JSON.stringify(externalRun?.facets)).toContain(secret)

    // Run again, it changes nothing.
    await migration?.up(test.db as Kysely<unknown>)
    const again = await test.db
      .selectFrom('lineage_events')
      .select(['job_namespace', 'payload', 'body_sha256'])
      .orderBy('id')
      .execute()
    expect(again).toEqual(events)
  })
})
