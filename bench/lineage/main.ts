import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { type AuditTables, createAuditLog } from '../../audit/index.js'
import { coreMigrations, migrateToLatest, openDatabase } from '../../core/index.js'
import { type AppAbility, defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import {
  createEventValidator,
  createLineageGraph,
  createLineageStore,
  createNamespaceStore,
  type LineageEvent,
  type LineageTables,
  lineageFacets,
  lineageMigrations,
  lineageRoutes,
  runEvent,
} from '../../lineage/index.js'
import { startThrowawayPostgres } from '../../testing/index.js'
import { barChart } from '../report/bar-chart.js'
import { emitSection } from '../report/bench-section.js'
import { percentile } from '../report/percentile.js'
import { maxRssMb } from '../report/process-memory.js'

// `npm run bench:lineage [-- --events 100000 --clients 8 --queries 200 --backend pglite|postgres]`:
// OpenLineage events through real HTTP into the receiver (validated, stored, folded into the
// graph), against storing the same events with the store alone in the same process; then
// depth-5 graph queries from random datasets through HTTP. Events through HTTP are checked
// against the namespace registry and each is audited, as in the server.
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '8' },
    queries: { type: 'string', default: '200' },
    backend: { type: 'string', default: 'postgres' },
  },
})
const EVENTS = Number(values.events)
const CLIENTS = Number(values.clients)
const QUERIES = Number(values.queries)
const say = (text: string) => process.stderr.write(`${text}\n`)
// The bench steward's agency owns the namespaces its events write (the platform's are nobody's).
const JOBS = 'airflow://dos'
const DATASETS = 's3://dos-bench'

/**
 * A synthetic estate: jobs in layers, each reading two datasets of the layer before and writing
 * one, each run sending START and COMPLETE (with schema, statistics and column lineage).
 */
function syntheticEvents(count: number, salt: string): LineageEvent[] {
  const layers = 10
  const jobsPerLayer = 100
  const events: LineageEvent[] = []
  const dataset = (layer: number, i: number) => ({
    namespace: layer === 0 ? 'postgres://ssot.gov.example:5432' : DATASETS,
    name: `layer${layer}.table${i % jobsPerLayer}`,
  })
  for (let run = 0; events.length < count; run++) {
    const layer = 1 + (run % (layers - 1))
    const j = Math.floor(run / (layers - 1)) % jobsPerLayer
    const inputs = [dataset(layer - 1, j), dataset(layer - 1, j + 7)]
    const output = dataset(layer, j)
    const parts = {
      runId: `${salt}-${run}`,
      job: { name: `layer${layer}.job${j}`, type: 'FUSION' },
    }
    const at = Date.UTC(2026, 0, 1) + run * 60_000
    events.push(
      runEvent({ ...parts, eventType: 'START', eventTime: new Date(at), inputs }),
      runEvent({
        ...parts,
        eventType: 'COMPLETE',
        eventTime: new Date(at + 30_000),
        inputs,
        outputs: [
          {
            ...output,
            facets: {
              schema: lineageFacets.schema([
                { name: 'id', type: 'BIGINT' },
                { name: 'value', type: 'DOUBLE' },
              ]),
              columnLineage: lineageFacets.columnLineage({
                id: [
                  {
                    ...inputs[0],
                    field: 'id',
                    transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                  },
                ] as never,
                value: inputs.map((i) => ({
                  ...i,
                  field: 'value',
                  transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }],
                })) as never,
              }),
            },
            outputFacets: {
              outputStatistics: lineageFacets.outputStatistics({
                rowCount: 1000 + run,
                size: 50_000,
              }),
            },
          },
        ],
      }),
    )
  }
  return events.slice(0, count).map((event) => ({
    ...event,
    job: { ...(event as { job: object }).job, namespace: JOBS },
  })) as LineageEvent[]
}

async function openBackend(backend: string) {
  if (backend === 'pglite')
    return { db: await openDatabase<LineageTables>({ kind: 'pglite' }), stop: async () => {} }
  const postgres = await startThrowawayPostgres()
  return {
    db: await openDatabase<LineageTables>({ kind: 'postgres', url: postgres.url }),
    stop: () => postgres.stop(),
  }
}

const { db, stop } = await openBackend(values.backend ?? 'postgres')
try {
  await migrateToLatest(db as Kysely<unknown>, [coreMigrations, lineageMigrations])
  const store = createLineageStore(db)
  const namespaces = createNamespaceStore(db)
  for (const namespace of [JOBS, DATASETS])
    await namespaces.register({ namespace, agency: 'DOS' }, 'bench', new Date())
  const graph = createLineageGraph(db)
  const validator = createEventValidator()
  const steward: User = {
    id: `u_${'1'.repeat(24)}` as UserId,
    username: 'steward.bench',
    displayName: 'Bench steward',
    email: '',
    agency: { code: 'DOS', name: 'DOS', ministryFamily: 'MTI' },
    roles: ['officer', 'steward'],
  }
  const app = new Hono<{
    Variables: { caller: { user: User }; ability: AppAbility; requestId: string }
  }>()
    .use(async (c, next) => {
      c.set('caller', { user: steward })
      c.set('ability', defineAbilityFor(steward))
      c.set('requestId', 'bench')
      await next()
    })
    .route(
      '/api/v1',
      lineageRoutes({
        store,
        graph,
        validator,
        listCatalogue: async () => [],
        transports: async () => [],
        namespaces,
        audit: createAuditLog(db as unknown as Kysely<AuditTables>, { key: randomBytes(32) }),
        now: () => new Date(),
        findAgency: async (code) => ({ code }),
      }) as never,
    )
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  // Baseline: the store alone (no HTTP, no validation), on events of their own.
  const baselineCount = Math.min(EVENTS, 10_000)
  say(`Baseline: ${baselineCount.toLocaleString('en')} events into the store directly …`)
  const baselineEvents = syntheticEvents(baselineCount, 'baseline')
  let t = performance.now()
  for (const event of baselineEvents) await store.record(event)
  const baselineMs = performance.now() - t
  const baselineRate = baselineCount / (baselineMs / 1000)

  say(`${EVENTS.toLocaleString('en')} events through POST /api/v1/lineage, ${CLIENTS} clients …`)
  const events = syntheticEvents(EVENTS, 'http')
  let next = 0
  let failed = 0
  let done = 0
  t = performance.now()
  const progress = setInterval(() => {
    const seconds = (performance.now() - t) / 1000
    say(
      `  ${done.toLocaleString('en')} events, ${Math.round(done / seconds).toLocaleString('en')}/s`,
    )
  }, 10_000)
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < events.length; i = next++) {
        const res = await fetch(`${base}/api/v1/lineage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(events[i]),
        })
        await res.arrayBuffer()
        if (res.status !== 201) failed++
        done++
      }
    }),
  )
  clearInterval(progress)
  const ingestMs = performance.now() - t
  const rate = EVENTS / (ingestMs / 1000)

  say(`${QUERIES} depth-5 graph queries through GET /api/v1/lineage …`)
  const latencies: number[] = []
  let nodes = 0
  for (let q = 0; q < QUERIES; q++) {
    const layer = 1 + (q % 9)
    const nodeId = `dataset:${DATASETS}:layer${layer}.table${(q * 37) % 100}`
    const started = performance.now()
    const res = await fetch(`${base}/api/v1/lineage?nodeId=${encodeURIComponent(nodeId)}&depth=5`)
    const body = (await res.json()) as { graph?: unknown[] }
    latencies.push(performance.now() - started)
    nodes += body.graph?.length ?? 0
  }
  server.close()

  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  const p50 = percentile(latencies, 0.5)
  const p95 = percentile(latencies, 0.95)
  const chartTitle = `Lineage ingest (events/s, ${values.backend})`
  await emitSection({
    id: 'lineage',
    title: `Lineage on ${values.backend}: ${EVENTS.toLocaleString('en')} OpenLineage events`,
    markdown: [
      row(['measure', 'result', 'baseline (store alone, same process)', 'ratio']),
      row(['---', '---', '---', '---']),
      row([
        `ingest through POST /api/v1/lineage (${CLIENTS} clients)`,
        `**${Math.round(rate).toLocaleString('en')} events/s** (${(ingestMs / 1000).toFixed(1)} s, ${failed} failed)`,
        `${Math.round(baselineRate).toLocaleString('en')} events/s`,
        `${(rate / baselineRate).toFixed(2)}×`,
      ]),
      row([
        `depth-5 graph query (${QUERIES} queries, ${Math.round(nodes / QUERIES)} nodes on average)`,
        `p50 ${p50.toFixed(0)} ms, **p95 ${p95.toFixed(0)} ms**`,
        '',
        '',
      ]),
    ].join('\n'),
    figures: [
      {
        key: 'lineage.ingest.events_per_second',
        label: `lineage: ingest through HTTP, ${CLIENTS} clients`,
        value: Math.round(rate),
        unit: 'events/s',
        better: 'higher',
      },
      {
        key: 'lineage.baseline.events_per_second',
        label: 'lineage: store alone',
        value: Math.round(baselineRate),
        unit: 'events/s',
        better: 'higher',
      },
      {
        key: 'lineage.ingest.ratio',
        label: 'lineage: HTTP ingest ÷ store alone',
        value: Number((rate / baselineRate).toFixed(3)),
        unit: '×',
        better: 'higher',
      },
      {
        key: 'lineage.ingest.failed',
        label: 'lineage: events refused',
        value: failed,
        unit: '',
        better: 'lower',
      },
      {
        key: 'lineage.graph.p50',
        label: 'lineage: depth-5 graph query, p50',
        value: Math.round(p50),
        unit: 'ms',
        better: 'lower',
      },
      {
        key: 'lineage.graph.p95',
        label: 'lineage: depth-5 graph query, p95',
        value: Math.round(p95),
        unit: 'ms',
        better: 'lower',
      },
      {
        key: 'lineage.peak_rss_mb',
        label: 'lineage: peak memory of the bench process (RSS)',
        value: maxRssMb(),
        unit: 'MB',
        better: 'lower',
      },
    ],
    charts: [
      {
        title: chartTitle,
        svg: await barChart(
          chartTitle,
          [
            ['store alone', baselineRate],
            [`HTTP, ${CLIENTS} clients`, rate],
          ],
          'events/s',
        ),
      },
    ],
  })
} finally {
  await db.destroy()
  await stop()
}
