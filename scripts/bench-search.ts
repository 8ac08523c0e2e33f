import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { type Kysely, sql } from 'kysely'
import { searchDatasets } from '../catalog/index.js'
import {
  createUserStore,
  defineAbilityFor,
  migrateToLatest,
  openDatabase,
  type User,
  type UserId,
} from '../core/index.js'
import {
  type CatalogueEntry,
  catalogueEntries,
  FIXTURE_AGENCIES,
  startThrowawayPostgres,
} from '../fixtures/index.js'
import { MIGRATIONS, type Tables } from '../server/index.js'
import { type BenchFigure, emitSection } from './bench-section.js'

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
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? 0
const officer: User = {
  id: 'u_000000000000000000000001' as UserId,
  username: 'officer.moh',
  displayName: 'Officer',
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
}
const WORDS = [
  'population',
  'rainfall',
  'rainfal',
  'tempreture',
  'housing planning area',
  'schools by region',
  'clinics',
  'bus ridership',
  '"air quality"',
  'employment -income',
  'hawker',
  'land use',
  'postal sector',
  'electricity by month',
  '', // browsing: every dataset the caller may see, with all facet counts
]

async function load(db: Kysely<Tables>, size: number) {
  await createUserStore(db).saveAgencies(FIXTURE_AGENCIES)
  let batch: ReturnType<typeof rowOf>[] = []
  for (const entry of catalogueEntries(size)) {
    batch.push(rowOf(entry))
    if (batch.length === 1000) {
      await db.insertInto('datasets').values(batch).execute()
      batch = []
    }
  }
  if (batch.length > 0) await db.insertInto('datasets').values(batch).execute()
  // As autovacuum leaves a table at rest: statistics current, pages marked all-visible.
  await sql`vacuum analyze`.execute(db)
}

function rowOf(entry: CatalogueEntry) {
  return {
    id: `d_${randomBytes(16).toString('hex')}`,
    slug: entry.slug,
    title: entry.title,
    description: entry.description,
    agency: entry.agency,
    trusted_centre: entry.trustedCentre,
    source_ssots: [entry.agency.toLowerCase()],
    security_classification: entry.security,
    sensitivity: entry.sensitivity,
    update_frequency: entry.updateFrequency,
    themes: entry.themes,
    tags: entry.tags,
    tags_text: [...entry.themes, ...entry.tags].join(' '),
    columns_text: entry.columns
      .map((c) => `${c.name} ${c.name.replaceAll('_', ' ')} ${c.description}`)
      .join(' '),
  }
}

async function measure(db: Kysely<Tables>) {
  const ability = defineAbilityFor(officer)
  const search: number[] = []
  const bare: number[] = []
  for (let i = 0; i < queryCount; i++) {
    const q = WORDS[i % WORDS.length] ?? ''
    const filters = i % 3 === 0 ? { agency: ['DOS'] } : {}
    let t = performance.now()
    await searchDatasets(db, ability, { q, filters, sort: 'relevance', page: 1, pageSize: 20 })
    search.push(performance.now() - t)
    t = performance.now()
    await sql`select ordinal from dataset_search where search_vector @@ websearch_to_tsquery('english', ${q})
      order by ts_rank(search_vector, websearch_to_tsquery('english', ${q})) desc limit 20`.execute(
      db,
    )
    bare.push(performance.now() - t)
  }
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
      let dropDatabase: (() => Promise<void>) | undefined
      let db: Kysely<Tables>
      if (backend === 'pglite') db = await openDatabase<Tables>({ kind: 'pglite' })
      else {
        const admin = await openDatabase<unknown>({ kind: 'postgres', url })
        const name = `bench_${size}_${Date.now()}`
        await sql.raw(`create database ${name}`).execute(admin)
        const target = new URL(url)
        target.pathname = `/${name}`
        db = await openDatabase<Tables>({ kind: 'postgres', url: target.toString() })
        dropDatabase = async () => {
          await sql.raw(`drop database ${name} with (force)`).execute(admin)
          await admin.destroy()
        }
      }
      await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
      const t = performance.now()
      await load(db, size)
      say(
        `  loaded in ${((performance.now() - t) / 1000).toFixed(1)} s; running ${queryCount} queries …`,
      )
      await measure(db) // warm-up
      const { search, bare } = await measure(db)
      const p50 = percentile(search, 0.5)
      const p95 = percentile(search, 0.95)
      const ratio = p50 / percentile(bare, 0.5)
      rows.push(
        `| ${backend} | ${size.toLocaleString('en')} | ${p50.toFixed(1)} | ${p95.toFixed(1)} | ${percentile(bare, 0.5).toFixed(1)} | ${percentile(bare, 0.95).toFixed(1)} | ${ratio.toFixed(1)}× |`,
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
        },
        {
          key: `${key}.ratio`,
          label: `${label}: p50 ÷ bare full-text p50`,
          value: round(ratio),
          unit: '×',
          better: 'lower',
        },
      )
      await db.destroy()
      await dropDatabase?.()
    }
  }
} finally {
  await postgres?.stop()
}
figures.push({
  key: 'search.peak_rss_mb',
  label: 'search: peak memory of the bench process (RSS; PostgreSQL runs apart)',
  value: Math.round(process.resourceUsage().maxRSS / 1024),
  unit: 'MB',
  better: 'lower',
})
await emitSection({
  id: 'search',
  title: 'Catalogue search latency (ms; hits + total + 8 facet counts, caller rules applied)',
  markdown: [
    '| backend | datasets | search p50 | search p95 | bare full-text p50 | bare p95 | ratio (p50) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'),
  figures,
  charts: [],
})

function round(value: number) {
  return Number(value.toFixed(2))
}
