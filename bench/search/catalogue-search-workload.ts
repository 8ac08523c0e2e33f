import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { searchDatasets } from '../../catalog/index.js'
import { migrateToLatest, openDatabase } from '../../core/index.js'
import { type CatalogueEntry, catalogueEntries, FIXTURE_AGENCIES } from '../../fixtures/index.js'
import { createUserStore, defineAbilityFor, type User, type UserId } from '../../identity/index.js'
import { MIGRATIONS, type Tables } from '../../server/index.js'
import { createTestPostgresDatabase, type TestBackend } from '../../testing/index.js'

// The catalogue search workload that `npm run bench:search` and `npm run bench:scale` both time:
// a synthetic catalogue of N entries, and a fixed mix of searches by one officer.

const officer: User = {
  id: 'u_000000000000000000000001' as UserId,
  username: 'officer.moh',
  displayName: 'Officer',
  email: '',
  agency: { code: 'MOH', name: 'MOH', ministryFamily: 'MOH' },
  roles: ['officer'],
}

/** The words of the search mix, in the order they are searched. */
export const SEARCH_WORDS = [
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

/** A fresh metadata database, migrated: in-memory PGlite, or a new database on `postgresUrl`. */
export async function openCatalogueDatabase(
  backend: TestBackend,
  postgresUrl: string,
): Promise<{ db: Kysely<Tables>; close(): Promise<void> }> {
  if (backend === 'pglite') {
    const db = await openDatabase<Tables>({ kind: 'pglite' })
    await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
    return { db, close: () => db.destroy() }
  }
  const database = await createTestPostgresDatabase(postgresUrl)
  // Not openTestDatabase: the benches measure with the default pool, the tests' is smaller.
  const db = await openDatabase<Tables>({ kind: 'postgres', url: database.url })
  await migrateToLatest(db as Kysely<unknown>, MIGRATIONS)
  return {
    db,
    close: async () => {
      await db.destroy()
      await database.drop()
    },
  }
}

/**
 * Inserts `size` synthetic catalogue entries (1,000 a statement), then vacuums and analyzes.
 * `beside` a catalogue already there (the fixture's), each slug gets a number of its own: the
 * synthetic names repeat the fixture's.
 */
export async function loadCatalogue(
  db: Kysely<Tables>,
  size: number,
  options: { beside?: boolean } = {},
) {
  await createUserStore(db).saveAgencies(FIXTURE_AGENCIES)
  let batch: ReturnType<typeof catalogueRow>[] = []
  let n = 0
  for (const entry of catalogueEntries(size)) {
    const slug = options.beside ? `${entry.slug}-${++n}` : entry.slug
    batch.push(catalogueRow({ ...entry, slug }))
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

/** One search with no words, as a server's first: it reads every dataset's facet values. */
export async function startSearching(db: Kysely<Tables>): Promise<void> {
  const ability = defineAbilityFor(officer)
  await searchDatasets(db, ability, { filters: {}, sort: 'relevance', page: 1, pageSize: 20 })
}

/**
 * Times `queries` searches of the mix (the words in turn, every third one filtered to one agency)
 * and returns each one's milliseconds. `afterEach` runs untimed after each search, with its words.
 */
export async function timeSearches(
  db: Kysely<Tables>,
  queries: number,
  afterEach?: (q: string) => Promise<void>,
): Promise<number[]> {
  const ability = defineAbilityFor(officer)
  const times: number[] = []
  for (let i = 0; i < queries; i++) {
    const q = SEARCH_WORDS[i % SEARCH_WORDS.length] ?? ''
    const filters = i % 3 === 0 ? { agency: ['DOS'] } : {}
    const t = performance.now()
    await searchDatasets(db, ability, { q, filters, sort: 'relevance', page: 1, pageSize: 20 })
    times.push(performance.now() - t)
    await afterEach?.(q)
  }
  return times
}
