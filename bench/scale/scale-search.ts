import { sql } from 'kysely'
import { percentile } from '../report/percentile.js'
import {
  loadCatalogue,
  openCatalogueDatabase,
  SEARCH_WORDS,
  timeSearches,
} from '../search/catalogue-search-workload.js'
import { count, mb, type SearchResult, say } from './scale-results.js'

// The search phase of `npm run bench:scale`: catalogue search latency on PostgreSQL at the
// catalogue size of a point, in a process of its own.

/** Loads `entries` synthetic datasets into a fresh database and times `queries` searches. */
export async function searchPhase(
  entries: number,
  url: string,
  queries: number,
): Promise<SearchResult> {
  const { db, close } = await openCatalogueDatabase('postgres', url)
  try {
    const t = performance.now()
    await loadCatalogue(db, entries)
    const loadSeconds = (performance.now() - t) / 1000
    say(
      `    search: ${count(entries)} entries loaded in ${loadSeconds.toFixed(1)} s; ${queries} queries …`,
    )
    await timeSearches(db, SEARCH_WORDS.length * 2) // warm-up
    const times = await timeSearches(db, queries)
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
    await close()
  }
}
