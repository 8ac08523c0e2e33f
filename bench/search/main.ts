import { parseArgs } from 'node:util'
import { type Kysely, sql } from 'kysely'
import type { Tables } from '../../server/index.js'
import { startThrowawayPostgres } from '../../testing/index.js'
import { type BenchFigure, emitSection } from '../report/bench-section.js'
import { percentile } from '../report/percentile.js'
import { maxRssMb } from '../report/process-memory.js'
import {
  loadCatalogue,
  openCatalogueDatabase,
  SEARCH_WORDS,
  startSearching,
  timeSearches,
} from './catalogue-search-workload.js'

// `npm run bench:search [-- --sizes 10000,100000 --queries 200]`: catalogue search latency over
// synthetic catalogues on PGlite and PostgreSQL, against the bare full-text query it issues.
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    queries: { type: 'string', default: '200' },
  },
})
const sizes = (values.sizes ?? '').split(',').map(Number)
const queryCount = Number(values.queries)
const say = (text: string) => process.stderr.write(`${text}\n`)
/** Issue 25's goals for the whole route's p95, at this many datasets only. */
const GOAL_SIZE = 100_000
const P95_GOAL_MS = { postgres: 30, pglite: 50 } as const

async function measure(db: Kysely<Tables>) {
  const bare: number[] = []
  const search = await timeSearches(db, queryCount, async (q) => {
    const t = performance.now()
    await sql`select ordinal from dataset_search where search_vector @@ websearch_to_tsquery('english', ${q})
      order by ts_rank(search_vector, websearch_to_tsquery('english', ${q})) desc limit 20`.execute(
      db,
    )
    bare.push(performance.now() - t)
  })
  return { search, bare }
}

const rows: string[] = []
const figures: BenchFigure[] = []
const postgres = process.env.BENCH_DATABASE_URL ? undefined : await startThrowawayPostgres()
try {
  for (const backend of ['pglite', 'postgres'] as const) {
    for (const size of sizes) {
      say(`${backend}: loading ${size.toLocaleString('en')} catalogue entries …`)
      const url = process.env.BENCH_DATABASE_URL ?? postgres?.url ?? ''
      const { db, close } = await openCatalogueDatabase(backend, url)
      const t = performance.now()
      await loadCatalogue(db, size)
      say(
        `  loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; running ${queryCount} queries …`,
      )
      await startSearching(db)
      // The first search of each word (and its filter): no answer kept for it yet.
      const cold = await timeSearches(db, SEARCH_WORDS.length)
      await measure(db) // warm-up
      const { search, bare } = await measure(db)
      const p50 = percentile(search, 0.5)
      const p95 = percentile(search, 0.95)
      const bareP95 = percentile(bare, 0.95)
      const ratio = p50 / percentile(bare, 0.5)
      rows.push(
        `| ${backend} | ${size.toLocaleString('en')} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${percentile(bare, 0.5).toFixed(1)} | ${bareP95.toFixed(1)} | ${ratio.toFixed(1)}× | ${percentile(cold, 0.5).toFixed(1)} | ${Math.max(...cold).toFixed(1)} |`,
      )
      const label = `search, ${backend}, ${size.toLocaleString('en')} datasets`
      const key = `search.${backend}.${size}`
      figures.push(
        {
          key: `${key}.p50`,
          label: `${label}: p50`,
          value: round(p50),
          unit: 'ms',
          better: 'lower',
        },
        {
          key: `${key}.p95`,
          label: `${label}: p95`,
          value: round(p95),
          unit: 'ms',
          better: 'lower',
          ...(size === GOAL_SIZE
            ? { goal: { at: 'most' as const, value: P95_GOAL_MS[backend], source: 'issue 25' } }
            : {}),
        },
        {
          key: `${key}.bare_p95`,
          label: `${label}: bare weighted full-text p95 (same run)`,
          value: round(bareP95),
          unit: 'ms',
          better: 'lower',
        },
        {
          key: `${key}.p95_ratio`,
          label: `${label}: p95 ÷ bare full-text p95`,
          value: round(p95 / bareP95),
          unit: '×',
          better: 'lower',
        },
        {
          key: `${key}.cold.p50`,
          label: `${label}: first search of each word, p50`,
          value: round(percentile(cold, 0.5)),
          unit: 'ms',
          better: 'lower',
        },
        {
          key: `${key}.cold.max`,
          label: `${label}: first search of each word, slowest`,
          value: round(Math.max(...cold)),
          unit: 'ms',
          better: 'lower',
        },
        {
          key: `${key}.ratio`,
          label: `${label}: p50 ÷ bare full-text p50`,
          value: round(ratio),
          unit: '×',
          better: 'lower',
        },
      )
      await close()
    }
  }
} finally {
  await postgres?.stop()
}
figures.push({
  key: 'search.peak_rss_mb',
  label: 'search: peak memory of the bench process (RSS; PostgreSQL runs apart)',
  value: maxRssMb(),
  unit: 'MB',
  better: 'lower',
})
await emitSection({
  id: 'search',
  title: 'Catalogue search latency (ms; hits + total + 8 facet counts, caller rules applied)',
  markdown: [
    '| backend | datasets | search p50 | search p95 | bare full-text p50 | bare p95 | ratio (p50) | first search of a word p50 | slowest first search |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Search repeats ${SEARCH_WORDS.length} words, so after the first search of each its matches are kept (catalog/search-match-cache.ts: by the words as read, the caller's rules and the sort, until a dataset changes) and the timed searches reuse them, as paging and choosing facets do; the first-search columns are the statement-per-search cost.`,
  ].join('\n'),
  figures,
  charts: [],
})

function round(value: number) {
  return Number(value.toFixed(2))
}
