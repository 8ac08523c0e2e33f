import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { type AuditTables, auditMigrations, createAuditLog } from '../../audit/index.js'
import { coreMigrations, type Logger, migrateToLatest, openDatabase } from '../../core/index.js'
import { type AppAbility, defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import {
  createEventValidator,
  createLineageGraph,
  createLineageStore,
  createNamespaceStore,
  type LineageTables,
  lineageMigrations,
  lineageRoutes,
} from '../../lineage/index.js'
import { startThrowawayPostgres } from '../../testing/index.js'
import { barChart } from '../report/bar-chart.js'
import { emitSection } from '../report/bench-section.js'
import { percentile } from '../report/percentile.js'
import { maxRssMb } from '../report/process-memory.js'
import { cpuMeter, postFromSenders } from './senders.js'
import { DATASETS, JOBS, syntheticEvents } from './synthetic-events.js'

// `npm run bench:lineage [-- --events 100000 --clients 8 --queries 200 --batch 500 --backend pglite|postgres]`:
// OpenLineage events through real HTTP into the receiver (validated, stored, folded into the
// graph), against storing the same events with the store alone in the same process; then
// the same count again in batches through POST /api/v1/lineage/batch; then depth-5 graph queries
// from random datasets through HTTP. Events through HTTP are checked against the namespace
// registry and each is audited, as in the server; they come from a sender process of its own, as
// real senders do. SQL statements are counted per event too, and the CPU each event costs the
// server, its PostgreSQL and the senders: steadier than time on a machine others share.
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '8' },
    queries: { type: 'string', default: '200' },
    batch: { type: 'string', default: '500' },
    backend: { type: 'string', default: 'postgres' },
  },
})
const EVENTS = Number(values.events)
const CLIENTS = Number(values.clients)
const QUERIES = Number(values.queries)
const BATCH = Number(values.batch)
const say = (text: string) => process.stderr.write(`${text}\n`)

/**
 * Counts the SQL statements the process sends (through the database's query log), and the
 * transactions among them: round trips, which timings on a busy machine do not show reliably.
 */
function statementCounter() {
  let counts = { statements: 0, transactions: 0 }
  const log = {
    debug(entry: { sql?: string }) {
      counts.statements++
      if (entry.sql?.trim().toLowerCase() === 'begin') counts.transactions++
    },
  }
  return {
    log: log as unknown as Logger,
    /** The counts since the last reset. */
    reset() {
      const last = counts
      counts = { statements: 0, transactions: 0 }
      return last
    },
  }
}
const statements = statementCounter()

async function openBackend(backend: string) {
  const options = { log: statements.log }
  if (backend === 'pglite')
    return {
      db: await openDatabase<LineageTables>({ kind: 'pglite' }, options),
      stop: async () => {},
    }
  const postgres = await startThrowawayPostgres()
  return {
    db: await openDatabase<LineageTables>({ kind: 'postgres', url: postgres.url }, options),
    stop: () => postgres.stop(),
  }
}

const { db, stop } = await openBackend(values.backend ?? 'postgres')
try {
  await migrateToLatest(db as Kysely<unknown>, [coreMigrations, auditMigrations, lineageMigrations])
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
        lookUpCatalogue: async () => [],
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
  statements.reset()
  const baselineMeter = cpuMeter()
  const t = performance.now()
  for (const event of baselineEvents) await store.record(event)
  const baselineMs = performance.now() - t
  const baselineRate = baselineCount / (baselineMs / 1000)
  const baselineStatements = statements.reset().statements / baselineCount
  const baselineCpuMs = baselineMeter(baselineCount)

  say(`${EVENTS.toLocaleString('en')} events through POST /api/v1/lineage, ${CLIENTS} clients …`)
  const single = await postFromSenders({
    url: `${base}/api/v1/lineage`,
    count: EVENTS,
    salt: 'http',
    batch: 1,
    clients: CLIENTS,
    expected: 201,
  })
  let counted = statements.reset()
  const singleStatements = counted.statements / EVENTS
  const singleTransactions = counted.transactions / EVENTS

  say(
    `${EVENTS.toLocaleString('en')} events through POST /api/v1/lineage/batch, ${BATCH} a batch, ${CLIENTS} clients …`,
  )
  const batch = await postFromSenders({
    url: `${base}/api/v1/lineage/batch`,
    count: EVENTS,
    salt: 'batch',
    batch: BATCH,
    clients: CLIENTS,
    expected: 200,
  })
  counted = statements.reset()
  const batchStatements = counted.statements / EVENTS

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
  const perSecond = (rate: number) => `${Math.round(rate).toLocaleString('en')} events/s`
  const ms = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(2)} ms`)
  const cpuCell = (server: number, database: number | undefined, senders?: number) =>
    `${ms(server)}, ${ms(database)}${senders === undefined ? '' : ` (${ms(senders)})`}`
  const chartTitle = `Lineage ingest (events/s, ${values.backend})`
  // The issue's goal: five times the 363 events/s of single events through HTTP before it.
  const goal =
    EVENTS === 100_000 ? { goal: { at: 'least' as const, value: 1815, source: 'issue 25' } } : {}
  await emitSection({
    id: 'lineage',
    title: `Lineage on ${values.backend}: ${EVENTS.toLocaleString('en')} OpenLineage events`,
    markdown: [
      row([
        'measure',
        'result',
        'baseline (store alone, same process)',
        'ratio',
        'statements per event',
        'CPU per event: server, PostgreSQL (senders)',
      ]),
      row(['---', '---', '---', '---', '---', '---']),
      row([
        `one event a request, POST /api/v1/lineage (${CLIENTS} clients, group commit)`,
        `**${perSecond(single.rate)}** (${(single.ms / 1000).toFixed(1)} s, ${single.failed} failed)`,
        perSecond(baselineRate),
        `${(single.rate / baselineRate).toFixed(2)}×`,
        `${singleStatements.toFixed(2)} (${singleTransactions.toFixed(3)} transactions)`,
        cpuCell(
          single.serverCpuMsPerEvent,
          single.databaseCpuMsPerEvent,
          single.sendersCpuMsPerEvent,
        ),
      ]),
      row([
        `${BATCH} events a request, POST /api/v1/lineage/batch (${CLIENTS} clients)`,
        `**${perSecond(batch.rate)}** (${(batch.ms / 1000).toFixed(1)} s, ${batch.failed} failed)`,
        perSecond(baselineRate),
        `${(batch.rate / baselineRate).toFixed(2)}×`,
        batchStatements.toFixed(2),
        cpuCell(batch.serverCpuMsPerEvent, batch.databaseCpuMsPerEvent, batch.sendersCpuMsPerEvent),
      ]),
      row([
        'the store alone, one event a transaction',
        perSecond(baselineRate),
        '',
        '',
        baselineStatements.toFixed(2),
        cpuCell(baselineCpuMs.server, baselineCpuMs.database),
      ]),
      row([
        `depth-5 graph query (${QUERIES} queries, ${Math.round(nodes / QUERIES)} nodes on average)`,
        `p50 ${p50.toFixed(0)} ms, **p95 ${p95.toFixed(0)} ms**`,
        '',
        '',
        '',
        '',
      ]),
    ].join('\n'),
    figures: [
      {
        key: 'lineage.ingest.events_per_second',
        label: `lineage: ingest through HTTP, one event a request, ${CLIENTS} clients`,
        value: Math.round(single.rate),
        unit: 'events/s',
        better: 'higher',
        ...goal,
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
        value: Number((single.rate / baselineRate).toFixed(3)),
        unit: '×',
        better: 'higher',
      },
      {
        key: 'lineage.ingest.failed',
        label: 'lineage: events refused',
        value: single.failed + batch.failed,
        unit: '',
        better: 'lower',
      },
      {
        key: 'lineage.ingest.statements_per_event',
        label: 'lineage: SQL statements per event through HTTP, one event a request',
        value: Number(singleStatements.toFixed(2)),
        unit: '',
        better: 'lower',
      },
      {
        key: 'lineage.ingest.server_cpu_ms_per_event',
        label: 'lineage: CPU of the server per event through HTTP, one event a request',
        value: Number(single.serverCpuMsPerEvent.toFixed(3)),
        unit: 'ms',
        better: 'lower',
      },
      ...(single.databaseCpuMsPerEvent === undefined
        ? []
        : [
            {
              key: 'lineage.ingest.database_cpu_ms_per_event',
              label: 'lineage: CPU of PostgreSQL per event through HTTP, one event a request',
              value: Number(single.databaseCpuMsPerEvent.toFixed(3)),
              unit: 'ms',
              better: 'lower' as const,
            },
          ]),
      {
        key: 'lineage.ingest_batch.events_per_second',
        label: `lineage: ingest through HTTP, ${BATCH} events a request, ${CLIENTS} clients`,
        value: Math.round(batch.rate),
        unit: 'events/s',
        better: 'higher',
      },
      {
        key: 'lineage.ingest_batch.statements_per_event',
        label: `lineage: SQL statements per event through HTTP, ${BATCH} events a request`,
        value: Number(batchStatements.toFixed(2)),
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
            [`HTTP, one a request, ${CLIENTS} clients`, single.rate],
            [`HTTP, ${BATCH} a request`, batch.rate],
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
