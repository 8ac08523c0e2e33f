import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { accessibleWhere, IdentityTables } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import type { Matches } from './facet-tally.js'
import type { FacetValues } from './facet-values.js'
import { allowedCombinations } from './search-access.js'
import type { MatchCache } from './search-match-cache.js'
import type { SearchRequest } from './search-request.js'

type SearchTables = CatalogTables & Pick<IdentityTables, 'agencies'>
type Readable = ReturnType<typeof accessibleWhere>

/**
 * Where matches come from: the catalogue's in-memory values, refreshed by this search before it
 * asks (so the generation read here is no newer than the snapshot of any statement run after),
 * and the answers kept.
 */
export interface MatchSources {
  values: FacetValues
  cache: MatchCache
}

/**
 * The ordinals of the datasets the caller may see that match the words, with their sort keys.
 * Browsing by relevance (no words) needs no statement over the datasets: every dataset is a
 * match and all tie, so the caller's datasets are read from memory by the read rules' verdict on
 * each combination of what they test (see allowedCombinations). Otherwise one statement finds
 * them, its read rules in its WHERE, and its answer is kept (see MatchCache).
 */
export async function matchDatasets(
  db: Kysely<SearchTables>,
  sources: MatchSources,
  readable: Readable,
  query: RawBuilder<unknown> | undefined,
  sort: SearchRequest['sort'],
): Promise<Matches> {
  if (!query && sort === 'relevance') {
    const allowed = await allowedCombinations(db, sources.values, readable)
    return { ordinals: sources.values.ordinalsAllowed(allowed), keys: undefined }
  }
  const statement = matchQuery(db, readable, query, sort).compile()
  // Popularity counts live outside the search copy, whose changes alone the generation follows.
  const keep = sort !== 'popular'
  const key = `${statement.sql}\u0000${JSON.stringify(statement.parameters)}`
  const generation = sources.values.generation
  const kept = keep ? sources.cache.get(key, generation) : undefined
  if (kept) return kept
  const { rows } = await db.executeQuery(statement)
  const row = rows[0]
  const matches = {
    ordinals: row?.ordinals ? unpack(row.ordinals, Int32Array) : new Int32Array(0),
    keys: row?.keys ? unpack(row.keys, Float64Array) : undefined,
  }
  if (keep) sources.cache.set(key, generation, matches)
  return matches
}

function matchQuery(
  db: Kysely<SearchTables>,
  readable: Readable,
  query: RawBuilder<unknown> | undefined,
  sort: SearchRequest['sort'],
) {
  const key =
    sort === 'updated'
      ? sql`extract(epoch from s.latest_at)`
      : sort === 'popular'
        ? sql`coalesce(st.views + 5 * st.downloads + 2 * st.queries, 0)`
        : query
          ? sql`ts_rank(s.search_vector, ${query})`
          : undefined
  return db
    .selectFrom('dataset_search as s')
    .$if(sort === 'popular', (qb) =>
      qb.leftJoin('dataset_stats as st', 'st.dataset_id', 's.dataset_id'),
    )
    .where(readable)
    .where(query ? sql<SqlBool>`s.search_vector @@ ${query}` : sql<SqlBool>`true`)
    .select([
      // Packed binary (big-endian int4 and float8, as PostgreSQL sends them): tens of thousands
      // of numbers arrive as one buffer, read without parsing text.
      sql<Uint8Array | null>`string_agg(int4send(s.ordinal), ''::bytea)`.as('ordinals'),
      (key
        ? sql<Uint8Array | null>`string_agg(float8send((${key})::float8), ''::bytea)`
        : sql<null>`null`
      ).as('keys'),
    ])
}

/** Numbers as PostgreSQL sends them (big-endian int4 or float8), one after the other. */
function unpack<T extends Int32Array | Float64Array>(
  bytes: Uint8Array,
  kind: { new (length: number): T; BYTES_PER_ELEMENT: number },
): T {
  const width = kind.BYTES_PER_ELEMENT
  const numbers = new kind(bytes.byteLength / width)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (width === 4) for (let i = 0; i < numbers.length; i++) numbers[i] = view.getInt32(i * 4)
  else for (let i = 0; i < numbers.length; i++) numbers[i] = view.getFloat64(i * 8)
  return numbers
}
