import { parseArgs } from 'node:util'
import { serveApp } from '../../server/index.js'
import { openTestRuntime, signInAs } from '../../testing/index.js'
import { emitSection } from '../report/bench-section.js'
import { median, percentile } from '../report/percentile.js'

// `npm run bench -- --only kpi` (or `npx tsx bench/kpi/main.ts [-- --requests 200]`): the KPI
// dashboard's API through real HTTP on fixture data, against the lightest signed-in read
// (`GET /api/auth/me`) as the floor; the read behind the list and the KPI pages (every value of
// a computation, once per computation: row by row as it was, one JSON document now) against the
// values kept in memory; and one recomputation of the platform KPIs after a decision against a
// full computation.
const { values } = parseArgs({ options: { requests: { type: 'string', default: '100' } } })
const REQUESTS = Number(values.requests)
const say = (text: string) => process.stderr.write(`${text}\n`)

/** Milliseconds each of `n` calls of `call` takes, one after another, after a warm-up. */
async function timeCalls(n: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await call()
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const started = performance.now()
    await call()
    times.push(performance.now() - started)
  }
  return times
}

say('Loading the platform on fixture data (scale 0.2) …')
const runtime = await openTestRuntime({ backend: 'pglite', scale: 0.2 })
const server = await serveApp(runtime, 0)
try {
  const headers = await signInAs(
    { request: (path, init) => fetch(`${server.url}${path}`, init) },
    'leader.mddi',
  )
  const get = (path: string) => async () => {
    const res = await fetch(`${server.url}${path}`, { headers })
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
    await res.arrayBuffer()
  }
  say(`${REQUESTS} calls of each, one after another …`)
  const floor = await timeCalls(REQUESTS, get('/api/auth/me'))
  const list = await timeCalls(REQUESTS, get('/api/kpis'))
  const detail = await timeCalls(REQUESTS, get('/api/kpis/14'))
  const counted = await timeCalls(REQUESTS, get('/api/kpis/14/requests'))

  const { reads, engine } = runtime.kpi
  const computation = await reads.latestComputation()
  if (!computation) throw new Error('No KPI computation after loading')
  const rowByRow = await timeCalls(REQUESTS, () =>
    runtime.db
      .selectFrom('kpi_values')
      .selectAll()
      .where('computation_id', '=', computation.id)
      .orderBy('number')
      .orderBy('year')
      .orderBy('quarter')
      .orderBy('breakdown')
      .orderBy('member')
      .execute(),
  )
  // A computation's values are read once, at the first request after it is kept: reading three
  // kept computations in turn from reads that keep two makes every read that first one.
  const ids = (
    await runtime.db.selectFrom('kpi_computations').select('id').orderBy('seq').execute()
  ).map((c) => c.id)
  let turn = 0
  const oneDocument =
    ids.length >= 3 ? await timeCalls(REQUESTS, () => reads.totals(ids[turn++ % 3] as string)) : []
  const keptValues = await timeCalls(REQUESTS, () => reads.values(computation.id, 1))
  const trigger = { kind: 'on demand', actor: 'bench' } as const
  const platformOnly = await timeCalls(5, () => engine.computePlatform(trigger))
  const full = await timeCalls(5, () => engine.compute(trigger))

  const rows = [
    ['`GET /api/auth/me` (floor)', floor],
    ['`GET /api/kpis`', list],
    ['`GET /api/kpis/14`', detail],
    ['`GET /api/kpis/14/requests`', counted],
  ] as const
  const p50floor = median(floor)
  const markdown = [
    `Fixture scale 0.2, embedded database, real HTTP on loopback; ${REQUESTS} calls of each as leader.mddi, one after another.`,
    '',
    '| call | p50 ms | p95 ms | p50 / floor |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([name, times]) =>
        `| ${name} | ${median(times).toFixed(1)} | ${percentile(times, 0.95).toFixed(1)} | ${(median(times) / p50floor).toFixed(1)}× |`,
    ),
    '',
    '| read behind the list and the KPI pages | p50 ms |',
    '| --- | ---: |',
    `| every value of a computation, row by row (before) | ${median(rowByRow).toFixed(1)} |`,
    `| every value of a computation, one JSON document (now, once per computation) | ${oneDocument.length ? median(oneDocument).toFixed(1) : 'fewer than 3 computations kept'} |`,
    `| one KPI's values, kept in memory (every request) | ${median(keptValues).toFixed(2)} |`,
    '',
    '| recomputation | p50 ms |',
    '| --- | ---: |',
    `| platform KPIs after a decision (no dataset read) | ${median(platformOnly).toFixed(0)} |`,
    `| every KPI (registers read by DuckDB) | ${median(full).toFixed(0)} |`,
  ].join('\n')
  await emitSection({
    id: 'kpi',
    title: 'KPI dashboard',
    markdown,
    figures: [
      ...rows.map(([name, times], i) => ({
        key: `kpi.${['floor', 'list', 'detail', 'counted'][i]}.p50`,
        label: `${name.replaceAll('`', '')}: p50`,
        value: median(times),
        unit: 'ms',
        better: 'lower' as const,
      })),
      ...rows.slice(1).map(([name, times], i) => ({
        key: `kpi.${['list', 'detail', 'counted'][i]}.p95`,
        label: `${name.replaceAll('`', '')}: p95`,
        value: percentile(times, 0.95),
        unit: 'ms',
        better: 'lower' as const,
        goal: { at: 'most' as const, value: 100, source: 'issue 25' },
      })),
      ...(oneDocument.length
        ? [
            {
              key: 'kpi.values.read.p50',
              label: "A computation's values read once: p50",
              value: median(oneDocument),
              unit: 'ms',
              better: 'lower' as const,
            },
          ]
        : []),
      {
        key: 'kpi.list.ratio',
        label: 'GET /api/kpis p50 over the floor',
        value: median(list) / p50floor,
        unit: '×',
        better: 'lower',
      },
      {
        key: 'kpi.recompute.platform.p50',
        label: 'Platform KPIs recomputed: p50',
        value: median(platformOnly),
        unit: 'ms',
        better: 'lower',
      },
    ],
    charts: [],
  })
} finally {
  await server.close()
  await runtime.dispose()
}
