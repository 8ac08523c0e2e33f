import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DuckDBInstance } from '@duckdb/node-api'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { Entitlement } from '../../access/index.js'
import type { AuditLog } from '../../audit/index.js'
import { migrateToLatest, openDatabase } from '../../core/index.js'
import { defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import { bindHmacKey, derivePseudonymKeys, pseudonymSql } from '../../keys/index.js'
import {
  createQueryPool,
  createQueryService,
  extractRoutes,
  queryRoutes,
  queryServiceMigrations,
} from '../../query-service/index.js'
import { barChart } from '../report/bar-chart.js'
import { type BenchFigure, emitSection } from '../report/bench-section.js'
import { median, percentile } from '../report/percentile.js'
import { peakMbDuring } from '../report/process-memory.js'
import { measurePreviewLatency } from './preview-latency.js'

// `npm run bench:query [-- --rows 5000000 --clients 50 --seconds 30 --rounds 5]`: the query service through
// real HTTP. A full extract as Parquet and CSV against DuckDB's own COPY of the same view in the
// same process; Arrow IPC rows per second; then concurrent clients running sample queries.
const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '5' },
    previews: { type: 'string', default: '300' },
  },
})
const ROWS = Number(values.rows)
const CLIENTS = Number(values.clients)
const SECONDS = Number(values.seconds)
const ROUNDS = Number(values.rounds)
const PREVIEWS = Number(values.previews)
const say = (text: string) => process.stderr.write(`${text}\n`)

const dir = await mkdtemp(join(tmpdir(), 'portal-bench-query-'))
try {
  say(`Writing a ${ROWS.toLocaleString('en')}-row dataset and a 10,000-row sample …`)
  await mkdir(join(dir, 'tc/bench'), { recursive: true })
  await mkdir(join(dir, 'samples/bench'), { recursive: true })
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  const synthetic = (n: number) => `SELECT range AS id,
      'S' || lpad((range % 10000000)::VARCHAR, 7, '0') || 'A' AS person_key,
      ['BEDOK', 'TAMPINES', 'YISHUN', 'JURONG WEST', 'WOODLANDS'][range % 5 + 1] AS planning_area,
      (range % 90)::INTEGER AS age, (range % 100000) * 1.5 AS income,
      TIMESTAMP '2026-01-01' + to_seconds(range % 31536000) AS seen_at
    FROM range(${n})`
  await setup.run(
    `COPY (${synthetic(ROWS)}) TO '${join(dir, 'tc/bench/v1.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
  )
  await setup.run(
    `COPY (${synthetic(10_000)}) TO '${join(dir, 'samples/bench/v1.parquet')}' (FORMAT parquet)`,
  )

  const schema = [
    { name: 'id', type: 'BIGINT', personalData: 'none' },
    { name: 'person_key', type: 'VARCHAR', personalData: 'direct-identifier' },
    { name: 'planning_area', type: 'VARCHAR', personalData: 'quasi-identifier' },
    { name: 'age', type: 'INTEGER', personalData: 'quasi-identifier' },
    { name: 'income', type: 'DOUBLE', personalData: 'sensitive' },
    { name: 'seen_at', type: 'TIMESTAMP', personalData: 'none' },
  ]
  const dataset = { id: 'd_bench', slug: 'bench', title: 'Bench', agency: 'DOS' }
  const full: Entitlement = {
    dataset,
    scope: 'full',
    basis: 'grant',
    grantId: 'g_bench',
    files: [{ version: 1, path: 'tc/bench/v1.parquet' }],
    columns: undefined,
    rowFilter: [],
    inClear: [],
    schema,
    expiresAt: undefined,
    pseudonymScope: 'project:bench',
  }
  const sample: Entitlement = {
    ...full,
    scope: 'sample',
    basis: 'sample',
    grantId: undefined,
    files: [{ version: 1, path: 'samples/bench/v1.parquet' }],
    pseudonymScope: 'sample',
  }

  const db = await openDatabase({ kind: 'pglite' })
  await migrateToLatest(db, [queryServiceMigrations])
  const audit: Pick<AuditLog, 'append'> = { append: async () => ({}) as never }
  const limits = {
    timeoutMs: 600_000,
    memoryLimit: '1GB',
    threads: 2,
    maxRows: 10_000,
    maxStreamRows: 100_000_000,
    maxJsonBytes: 16e6,
    maxStreamBytes: 1e11,
  }
  const keys = derivePseudonymKeys(Buffer.alloc(32, 7))
  const engine = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB' })
  const service = createQueryService({
    db: db as never,
    dataDir: dir,
    engine,
    pseudonyms: keys,
    limits,
    outputRules: { minCount: 10, dominanceP: 10 },
    pool: createQueryPool({ maxRunning: 4, maxPerUser: 2, maxWaitMs: 30_000 }),
    workers: 4,
    warmWorkers: 4,
    entitlements: async () => [full, sample],
    liveGrants: async () => ['g_bench'],
    recordUse: async () => undefined,
    audit,
    now: () => new Date(),
  })
  const user = (n: number): User => ({
    id: `u_${String(n).padStart(24, '0')}` as UserId,
    username: `bench${n}`,
    displayName: `Bench ${n}`,
    email: '',
    agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
    roles: ['officer'],
  })
  // Each request is a different person (header x-bench-user), as fifty officers would be.
  const app = new Hono<{
    Variables: { caller: { user: User }; ability: never; requestId: string }
  }>()
    .use(async (c, next) => {
      const who = user(Number(c.req.header('x-bench-user') ?? 0))
      c.set('caller', { user: who })
      c.set('ability', defineAbilityFor(who) as never)
      c.set('requestId', 'bench')
      await next()
    })
    .route('/api/query', queryRoutes(service))
    .route('/api/datasets', extractRoutes(service))
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise((resolve) => server.once('listening', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  /** Reads a response to the end, counting bytes, as a client saving the file would. */
  const drain = async (res: Response) => {
    let bytes = 0
    const reader = res.body?.getReader()
    for (;;) {
      const next = await reader?.read()
      if (!next || next.done) break
      bytes += next.value.byteLength
    }
    return bytes
  }
  const time = async (work: () => Promise<unknown>) => {
    const t = performance.now()
    await work()
    return performance.now() - t
  }

  // The baseline: DuckDB's own COPY of exactly what an extract holds, made from the published
  // version as the product's first extract makes it (the project's pseudonyms included).
  const viewSelect = `SELECT id, ${pseudonymSql('projection_key', 'person_key')} AS person_key, planning_area, age, income, seen_at FROM read_parquet('${join(dir, 'tc/bench/v1.parquet')}')`
  const copyConn = await (
    await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' })
  ).connect()
  await bindHmacKey(copyConn, 'projection_key', keys.keyOf('project:bench'))
  const workerPids = () => service.workers().pids
  // The first extract of a grant makes its projection (then every format reads it): timed apart.
  say('First extract of the grant (makes its projection) …')
  const firstExtract = await time(async () =>
    drain(await fetch(`${base}/api/datasets/bench/versions/1/extract?format=parquet`)),
  )
  const firstCopy = await time(() =>
    copyConn.run(
      `COPY (${viewSelect}) TO '${join(dir, 'copy-first.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
    ),
  )
  say(`  API ${(firstExtract / 1000).toFixed(2)} s, COPY ${(firstCopy / 1000).toFixed(2)} s`)
  const results: { format: string; api: number; copy: number; bytes: number; rss: number }[] = []
  // The machine is shared and noisy: COPY and the API take turns, and the medians are compared.
  for (const format of ['parquet', 'csv'] as const) {
    say(`Extract as ${format}, ${ROUNDS} rounds …`)
    const copies: number[] = []
    const apis: number[] = []
    let bytes = 0
    let rss = 0
    for (let round = 0; round < ROUNDS; round++) {
      copies.push(
        await time(() =>
          copyConn.run(
            `COPY (${viewSelect}) TO '${join(dir, `copy.${format}`)}' (FORMAT ${format}${format === 'parquet' ? ', COMPRESSION zstd' : ''})`,
          ),
        ),
      )
      const api = await peakMbDuring(
        () =>
          time(async () => {
            const res = await fetch(
              `${base}/api/datasets/bench/versions/1/extract?format=${format}`,
            )
            bytes = await drain(res)
          }),
        20,
        workerPids,
      )
      apis.push(api.value)
      rss = Math.max(rss, api.peakMb)
      say(
        `  API ${((apis.at(-1) ?? 0) / 1000).toFixed(2)} s, COPY ${((copies.at(-1) ?? 0) / 1000).toFixed(2)} s (${(bytes / 1e6).toFixed(0)} MB)`,
      )
    }
    results.push({ format, api: median(apis), copy: median(copies), bytes, rss })
  }
  say(`Extract as Arrow IPC, ${ROUNDS} rounds …`)
  let arrowBytes = 0
  let arrowRss = 0
  const arrows: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const run = await peakMbDuring(
      () =>
        time(async () => {
          const res = await fetch(`${base}/api/datasets/bench/versions/1/extract?format=arrow`)
          arrowBytes = await drain(res)
        }),
      20,
      workerPids,
    )
    arrows.push(run.value)
    arrowRss = Math.max(arrowRss, run.peakMb)
    say(`  ${(run.value / 1000).toFixed(2)} s, ${(ROWS / (run.value / 1000)).toFixed(0)} rows/s`)
  }
  const arrow = median(arrows)

  say(`${CLIENTS} clients running sample queries for ${SECONDS} s …`)
  const latencies: number[] = []
  let errors = 0
  const until = performance.now() + SECONDS * 1000
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, n) => {
      while (performance.now() < until) {
        const t = performance.now()
        const res = await fetch(`${base}/api/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bench-user': String(n + 1) },
          body: JSON.stringify({
            sql: `SELECT planning_area, count(*) AS n, avg(income) AS income FROM bench_sample WHERE age > ${n % 50} GROUP BY 1 ORDER BY 1`,
          }),
        })
        await res.arrayBuffer()
        if (res.status !== 200) errors++
        latencies.push(performance.now() - t)
      }
    }),
  )
  server.close()
  await service.close()
  await db.destroy()

  say(`Sample previews through the whole platform, ${PREVIEWS} one after another …`)
  const preview = await measurePreviewLatency(PREVIEWS)
  say(`  p50 ${preview.p50.toFixed(1)} ms, p99 ${preview.p99.toFixed(1)} ms`)

  const row = (cells: string[]) => `| ${cells.join(' | ')} |`
  const table = [
    row([
      'measure',
      'through the API (median)',
      "DuckDB's COPY, same view (median)",
      'ratio',
      'size',
      'peak RSS during the API runs',
    ]),
    row(['---', '---', '---', '---', '---', '---']),
    ...results.map((r) =>
      row([
        `full extract, ${r.format}`,
        `${(r.api / 1000).toFixed(2)} s`,
        `${(r.copy / 1000).toFixed(2)} s`,
        `**${(r.api / r.copy).toFixed(2)}×** (target ≤ 1.3×)`,
        `${(r.bytes / 1e6).toFixed(0)} MB`,
        `${r.rss} MB`,
      ]),
    ),
    row([
      'first extract of the grant, Parquet (makes its projection)',
      `${(firstExtract / 1000).toFixed(2)} s`,
      `${(firstCopy / 1000).toFixed(2)} s`,
      `**${(firstExtract / firstCopy).toFixed(2)}×**`,
      '',
      '',
    ]),
    row([
      'full extract, Arrow IPC',
      `${(arrow / 1000).toFixed(2)} s`,
      '(no COPY to Arrow)',
      `**${Math.round(ROWS / (arrow / 1000)).toLocaleString('en')} rows/s** (target ≥ 1,000,000)`,
      `${(arrowBytes / 1e6).toFixed(0)} MB`,
      `${arrowRss} MB`,
    ]),
  ].join('\n')
  const load = [
    row(['clients', 'queries', 'throughput', 'p50', 'p99', 'errors']),
    row(['---', '---', '---', '---', '---', '---']),
    row([
      String(CLIENTS),
      latencies.length.toLocaleString('en'),
      `${(latencies.length / SECONDS).toFixed(1)} queries/s`,
      `${percentile(latencies, 0.5).toFixed(0)} ms`,
      `${percentile(latencies, 0.99).toFixed(0)} ms`,
      String(errors),
    ]),
  ].join('\n')
  const previews = [
    row(['previews', 'p50', 'p99', 'the same SELECT in bare DuckDB (p50)']),
    row(['---', '---', '---', '---']),
    row([
      String(preview.requests),
      `**${preview.p50.toFixed(1)} ms** (target ≤ 50 ms)`,
      `${preview.p99.toFixed(1)} ms`,
      `${preview.bareP50.toFixed(2)} ms`,
    ]),
  ].join('\n')
  const round = (value: number, digits = 3) => Number(value.toFixed(digits))
  const figures: BenchFigure[] = [
    ...results.flatMap((r): BenchFigure[] => [
      {
        key: `query.${r.format}.seconds`,
        label: `query: full extract as ${r.format} through the API (median)`,
        value: round(r.api / 1000),
        unit: 's',
        better: 'lower',
      },
      {
        key: `query.${r.format}.ratio`,
        label: `query: ${r.format} extract ÷ DuckDB's COPY`,
        value: round(r.api / r.copy),
        unit: '×',
        better: 'lower',
      },
      {
        key: `query.${r.format}.peak_rss_mb`,
        label: `query: peak memory during ${r.format} extracts (RSS)`,
        value: r.rss,
        unit: 'MB',
        better: 'lower',
      },
    ]),
    {
      key: 'query.first_extract.ratio',
      label: "query: a grant's first Parquet extract (makes its projection) ÷ DuckDB's COPY",
      value: round(firstExtract / firstCopy),
      unit: '×',
      better: 'lower',
    },
    {
      key: 'query.preview.p50',
      label: 'query: sample preview through HTTP, p50',
      value: round(preview.p50, 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.preview.p99',
      label: 'query: sample preview through HTTP, p99',
      value: round(preview.p99, 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.arrow.rows_per_second',
      label: 'query: Arrow IPC extract rate',
      value: Math.round(ROWS / (arrow / 1000)),
      unit: 'rows/s',
      better: 'higher',
    },
    {
      key: 'query.arrow.peak_rss_mb',
      label: 'query: peak memory during Arrow IPC extracts (RSS)',
      value: arrowRss,
      unit: 'MB',
      better: 'lower',
    },
    {
      key: 'query.concurrent.queries_per_second',
      label: `query: ${CLIENTS} concurrent clients, throughput`,
      value: round(latencies.length / SECONDS, 1),
      unit: 'queries/s',
      better: 'higher',
    },
    {
      key: 'query.concurrent.p99',
      label: `query: ${CLIENTS} concurrent clients, p99 latency`,
      value: Math.round(percentile(latencies, 0.99)),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.concurrent.errors',
      label: `query: ${CLIENTS} concurrent clients, errors`,
      value: errors,
      unit: '',
      better: 'lower',
    },
  ]
  const chartTitle = `Full extract of ${ROWS.toLocaleString('en')} rows (seconds)`
  await emitSection({
    id: 'query',
    title: `Query service: extracts of ${ROWS.toLocaleString('en')} rows through HTTP`,
    markdown: `${table}\n\n### ${CLIENTS} concurrent clients, sample queries, ${SECONDS} s\n\n${load}\n\n### A dataset page's sample preview through HTTP, one at a time\n\nThe platform as \`npm start\` runs it (embedded database, fixture data): sign-in, entitlements, the pool, the worker's gate and query, history and audit.\n\n${previews}`,
    figures,
    charts: [
      {
        title: chartTitle,
        svg: barChart(chartTitle, [
          ...results.flatMap((r): [string, number][] => [
            [`COPY ${r.format}`, r.copy / 1000],
            [`API ${r.format}`, r.api / 1000],
          ]),
          ['API Arrow IPC', arrow / 1000],
        ]),
      },
    ],
  })
} finally {
  await rm(dir, { recursive: true, force: true })
}
