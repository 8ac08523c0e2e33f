import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { emitSection } from '../report/bench-section.js'
import { runBareQueries, runConcurrentQueries } from './concurrent-queries.js'
import { timeExtracts } from './extract-timings.js'
import { measurePreviewLatency } from './preview-latency.js'
import { benchEntitlements, writeBenchDataset } from './query-dataset.js'
import { querySection } from './query-section.js'
import { QUERY_SLOTS, QUERY_THREADS, startQueryServer } from './query-server.js'

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
const BARE = { slots: QUERY_SLOTS, threads: QUERY_THREADS }

const dir = await mkdtemp(join(tmpdir(), 'portal-bench-query-'))
try {
  say(`Writing a ${ROWS.toLocaleString('en')}-row dataset and a 10,000-row sample …`)
  await writeBenchDataset(dir, ROWS)
  const { full, sample } = benchEntitlements()
  const server = await startQueryServer(dir, [full, sample])
  const extracts = await timeExtracts(server, { dir, rows: ROWS, rounds: ROUNDS, say })

  // One client, then many: each against bare DuckDB doing the same queries in this process, the
  // same number at a time as the service's workers, so the ratio is what the service adds.
  const singleSeconds = Math.min(10, SECONDS)
  say(`One client running sample queries for ${singleSeconds} s, then bare DuckDB …`)
  const single = await runConcurrentQueries(server.base, 1, singleSeconds)
  const bareSingle = await runBareQueries(dir, { ...BARE, clients: 1, seconds: singleSeconds })
  say(`${CLIENTS} clients running sample queries for ${SECONDS} s, then bare DuckDB …`)
  const load = await runConcurrentQueries(server.base, CLIENTS, SECONDS)
  await server.close()
  const bareLoad = await runBareQueries(dir, { ...BARE, clients: CLIENTS, seconds: SECONDS })

  say(`Sample previews through the whole platform, ${PREVIEWS} one after another …`)
  const preview = await measurePreviewLatency(PREVIEWS)
  say(`  p50 ${preview.p50.toFixed(1)} ms, p99 ${preview.p99.toFixed(1)} ms`)

  await emitSection(
    await querySection({
      rows: ROWS,
      clients: CLIENTS,
      seconds: SECONDS,
      extracts,
      load,
      bareLoad,
      single,
      bareSingle,
      preview,
    }),
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
