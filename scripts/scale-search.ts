import { randomBytes } from 'node:crypto'
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
import { type CatalogueEntry, catalogueEntries, FIXTURE_AGENCIES } from '../fixtures/index.js'
import { MIGRATIONS, type Tables } from '../server/index.js'
import { count, mb, percentile, type SearchResult, say } from './scale-results.js'

// The search phase of `npm run bench:scale`: catalogue search latency on PostgreSQL at the
// catalogue size of a point, in a process of its own.

/** Loads `entries` synthetic datasets into a fresh database and times `queries` searches. */
export async function searchPhase(
  entries: number,
  url: string,
  queries: number,
): Promise<SearchResult> {
  const admin = await openDatabase<unknown>({ kind: 'postgres', url })
  const name = `bench_scale_${entries}_${Date.now()}`
  await sql.raw(`create database ${name}`).execute(admin)
  const target = new URL(url)
  target.pathname = `/${name}`
  const db = await openDatabase<Tables>({ kind: 'postgres', url: target.toString() })
  try {
    await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
    const t = performance.now()
    await loadCatalogue(db, entries)
    const loadSeconds = (performance.now() - t) / 1000
    say(
      `    search: ${count(entries)} entries loaded in ${loadSeconds.toFixed(1)} s; ${queries} queries …`,
    )
    await searchTimes(db, SEARCH_WORDS.length * 2) // warm-up
    const times = await searchTimes(db, queries)
    const size = await sql<{
      bytes: string
    }>`select pg_database_size(current_database()) as bytes`.execute(db)
    return {
      entries,
      loadSeconds,
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      databaseMb: mb(Number(size.rows[0]?.bytes ?? 0)),
      queries,
    }
  } finally {
    await db.destroy()
    await sql.raw(`drop database ${name} with (force)`).execute(admin)
    await admin.destroy()
  }
}

// Copied from scripts/bench-search.ts until the two share a module: officer, WORDS (here
// SEARCH_WORDS), load (loadCatalogue), rowOf (catalogueRow) and the search half of measure
// (searchTimes).
const officer: User = {
  id: 'u_000000000000000000000001' as UserId,
  username: 'officer.moh',
  displayName: 'Officer',
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
}
const SEARCH_WORDS = [
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

async function loadCatalogue(db: Kysely<Tables>, size: number) {
  await createUserStore(db).saveAgencies(FIXTURE_AGENCIES)
  let batch: ReturnType<typeof catalogueRow>[] = []
  for (const entry of catalogueEntries(size)) {
    batch.push(catalogueRow(entry))
    if (batch.length === 1000) {
      await db.insertInto('datasets').values(batch).execute()
      batch = []
    }
  }
  if (batch.length > 0) await db.insertInto('datasets').values(batch).execute()
  // As autovacuum leaves a table at rest: statistics current, pages marked all-visible.
  await sql`vacuum analyze`.execute(db)
}

function catalogueRow(entry: CatalogueEntry) {
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

async function searchTimes(db: Kysely<Tables>, queries: number) {
  const ability = defineAbilityFor(officer)
  const times: number[] = []
  for (let i = 0; i < queries; i++) {
    const q = SEARCH_WORDS[i % SEARCH_WORDS.length] ?? ''
    const filters = i % 3 === 0 ? { agency: ['DOS'] } : {}
    const t = performance.now()
    await searchDatasets(db, ability, { q, filters, sort: 'relevance', page: 1, pageSize: 20 })
    times.push(performance.now() - t)
  }
  return times
}
