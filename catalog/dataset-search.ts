import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { IdentityTables } from '../identity/index.js'
import { type AppAbility, accessibleWhere } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { FACETS, type Facet, FacetValues, SINGLE_FACETS } from './facet-values.js'
import { topK } from './top-k.js'

export { FACETS, type Facet } from './facet-values.js'

export interface SearchRequest {
  /** Words as a person types them: phrases in quotes, -word to exclude, typos tolerated. */
  q?: string
  filters: Partial<Record<Facet, string[]>>
  sort: 'relevance' | 'updated' | 'popular'
  page: number
  pageSize: number
}

/** One result, with the reasons it matched. */
export interface SearchHit {
  id: string
  slug: string
  title: string
  description: string
  agency: string
  ministryFamily: string | undefined
  trustedCentre: string
  security: string
  sensitivity: string
  themes: string[]
  tags: string[]
  updateFrequency: string
  rowCount: number | undefined
  /** When the data last changed: its latest version, or the entry itself before any version. */
  updatedAt: Date
  sampleAvailable: boolean
  score: number
  matched: { title: boolean; tags: boolean; description: boolean; columns: string[]; typo: boolean }
}

export interface SearchResult {
  total: number
  hits: SearchHit[]
  facets: Record<Facet, { value: string; count: number }[]>
}

type SearchTables = CatalogTables & Pick<IdentityTables, 'agencies'>
type Readable = ReturnType<typeof accessibleWhere>

/** Below this many full-text matches, words close to a title or tag word count too. */
const FUZZY_BELOW = 3
/** Rank added for a title equal to the words typed; full-text ranks stay far below it. */
const EXACT_TITLE = 10

const facetValues = new WeakMap<object, FacetValues>()

/**
 * Full-text search over titles, tags, descriptions and columns (weighted in that order), tolerant
 * of typos, with facet counts and filters. Only datasets the caller may discover are ever
 * counted or returned: the read rules are part of every SQL statement.
 *
 * One statement finds the matching datasets the caller may see, with their sort keys; facet
 * counts, filters and the page are then worked out over those matches in memory (see
 * FacetValues), and a last statement reads the page's details.
 */
export async function searchDatasets(
  db: Kysely<SearchTables>,
  ability: AppAbility,
  request: SearchRequest,
): Promise<SearchResult> {
  const q = request.q?.trim() ?? ''
  let values = facetValues.get(db)
  if (!values) {
    values = new FacetValues(db)
    facetValues.set(db, values)
  }
  const refreshed = values.refresh()
  const readable = accessibleWhere(ability, 'read', 'Dataset', {
    agency: 's.agency',
    security: 's.security_classification',
    sensitivity: 's.sensitivity',
  })
  const typed = sql`websearch_to_tsquery('english', ${q})`
  let query = q ? typed : undefined
  let matches = await matchDatasets(db, readable, query, request.sort)
  if (q && matches.ordinals.length < FUZZY_BELOW) {
    const corrected = await correctTypos(db, q)
    if (corrected) {
      query = sql`(${typed} || to_tsquery('english', ${corrected}))`
      matches = await matchDatasets(db, readable, query, request.sort)
    }
  }
  await refreshed
  const { total, facets, page } = tally(values, matches, request)
  const rows =
    page.length > 0 ? await details(db, readable, page, q, query ?? typed, typed) : new Map()
  return {
    total,
    facets,
    hits: page.flatMap((ordinal) => {
      const r = rows.get(ordinal)
      if (!r) return []
      return [
        {
          id: r.id,
          slug: r.slug,
          title: r.title,
          description: r.description,
          agency: r.agency,
          ministryFamily: r.ministry_family ?? undefined,
          trustedCentre: r.trusted_centre,
          security: r.security_classification,
          sensitivity: r.sensitivity,
          themes: r.themes,
          tags: r.tags,
          updateFrequency: r.update_frequency,
          rowCount: r.row_count === null ? undefined : Number(r.row_count),
          updatedAt: new Date(r.latest_at),
          sampleAvailable: r.sample_available,
          score: Number(r.score),
          matched: {
            title: Boolean(r.title_match),
            tags: Boolean(r.tags_match),
            description: Boolean(r.description_match),
            columns: r.matched_columns ?? [],
            typo: Boolean(r.typo),
          },
        },
      ]
    }),
  }
}

interface Matches {
  ordinals: Int32Array
  /** Sort key per match (higher first); absent when every match ties. */
  keys: Float64Array | undefined
}

/** The ordinals of the datasets the caller may see that match the words, with their sort keys. */
async function matchDatasets(
  db: Kysely<SearchTables>,
  readable: Readable,
  query: RawBuilder<unknown> | undefined,
  sort: SearchRequest['sort'],
): Promise<Matches> {
  const key =
    sort === 'updated'
      ? sql`extract(epoch from s.latest_at)`
      : sort === 'popular'
        ? sql`coalesce(st.views + 5 * st.downloads + 2 * st.queries, 0)`
        : query
          ? sql`ts_rank(s.search_vector, ${query})`
          : undefined
  const row = await db
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
    .executeTakeFirst()
  return {
    ordinals: row?.ordinals ? unpack(row.ordinals, Int32Array) : new Int32Array(0),
    keys: row?.keys ? unpack(row.keys, Float64Array) : undefined,
  }
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

/**
 * The words typed, each widened to the closest title and tag words (trigram similarity), as a
 * tsquery text: `geocde` becomes `(geocde | geocode)`. Undefined when no word is long enough.
 * Searched together with the words as typed, so what they found is still found.
 */
async function correctTypos(db: Kysely<SearchTables>, q: string): Promise<string | undefined> {
  const words = q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => !w.startsWith('-'))
    .flatMap((w) => w.split(/[^a-z0-9]+/))
    .filter((w) => w.length >= 3)
  if (words.length === 0) return undefined
  const { rows } = await sql<{ input: string; word: string }>`
    select w.input, v.word from unnest(${sql.val(words)}::text[]) as w(input)
    cross join lateral (select word from search_words where word % w.input
      order by similarity(word, w.input) desc, word limit 3) v`.execute(db)
  return words
    .map((w) => {
      const near = rows.filter((r) => r.input === w && r.word !== w).map((r) => r.word)
      return `(${[w, ...near].join(' | ')})`
    })
    .join(' & ')
}

/**
 * The total, each facet's counts and the page's ordinals, in one pass over the matches. A facet's
 * counts ignore that facet's own filter (so they say what choosing a value would give): a match
 * failing no filter counts under every facet, one failing only facet F counts under F alone.
 * Written as plain loops over typed arrays: it runs over up to every dataset on each search.
 */
function tally(values: FacetValues, matches: Matches, request: SearchRequest) {
  const { ordinals } = matches
  const columns = SINGLE_FACETS.map((facet) => values.column(facet))
  const counts = SINGLE_FACETS.map((facet) => new Int32Array(values.size(facet)))
  const themeCounts = new Int32Array(values.size('theme'))
  const chosen = FACETS.filter((f) => (request.filters[f]?.length ?? 0) > 0)
  /** Per filter: its facet's index in SINGLE_FACETS (-1 for themes) and the codes it accepts. */
  const filters = chosen.map((facet) => ({
    index: facet === 'theme' ? -1 : SINGLE_FACETS.indexOf(facet),
    codes: values.codesOf(facet, request.filters[facet] ?? []),
  }))
  const countThemes = (ordinal: number) => {
    for (const code of values.themesOf(ordinal)) themeCounts[code] = (themeCounts[code] ?? 0) + 1
  }
  const countOne = (index: number, ordinal: number) => {
    const code = (columns[index] as Int32Array)[ordinal] ?? -1
    const tally = counts[index] as Int32Array
    if (code >= 0) tally[code] = (tally[code] ?? 0) + 1
  }

  const passing = new Int32Array(ordinals.length)
  let total = 0
  for (let i = 0; i < ordinals.length; i++) {
    const ordinal = ordinals[i] as number
    let failed = 0
    let failures = 0
    for (let f = 0; f < filters.length && failures < 2; f++) {
      const { index, codes } = filters[f] as (typeof filters)[number]
      const ok =
        index >= 0
          ? codes.has((columns[index] as Int32Array)[ordinal] ?? -1)
          : values.themesOf(ordinal).some((code) => codes.has(code))
      if (!ok) {
        failed = index
        failures++
      }
    }
    if (failures === 0) {
      passing[total++] = i
      for (let c = 0; c < columns.length; c++) {
        const code = (columns[c] as Int32Array)[ordinal] as number
        const tally = counts[c] as Int32Array
        if (code >= 0) tally[code] = (tally[code] as number) + 1
      }
      countThemes(ordinal)
    } else if (failures === 1) {
      if (failed >= 0) countOne(failed, ordinal)
      else countThemes(ordinal)
    }
  }

  const listed = (facet: Facet, tally: Int32Array) =>
    Array.from(tally, (count, code) => ({ value: values.valueOf(facet, code) ?? '', count }))
      .filter((f) => f.count > 0)
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  const facets = Object.fromEntries([
    ...SINGLE_FACETS.map((facet, c) => [facet, listed(facet, counts[c] as Int32Array)]),
    ['theme', listed('theme', themeCounts)],
  ]) as SearchResult['facets']

  // Highest key first (relevance: weighted rank, an exact title above all), then by title.
  const exact = request.sort === 'relevance' ? request.q?.trim().toLowerCase() : undefined
  const keys = matches.keys ?? new Float64Array(ordinals.length)
  if (exact) {
    for (let p = 0; p < total; p++) {
      const i = passing[p] as number
      const title = values.title(ordinals[i] as number)
      if (title.length === exact.length && title.toLowerCase() === exact)
        keys[i] = (keys[i] ?? 0) + EXACT_TITLE
    }
  }
  const titleRank = values.titleRanks()
  const best = topK(passing.subarray(0, total), request.page * request.pageSize, (a, b) => {
    const ka = keys[a] as number
    const kb = keys[b] as number
    if (ka !== kb) return ka > kb
    return (titleRank[ordinals[a] as number] ?? 0) < (titleRank[ordinals[b] as number] ?? 0)
  })
  const page = best.slice((request.page - 1) * request.pageSize).map((i) => ordinals[i] as number)
  return { total, facets, page }
}

interface DetailRow {
  ordinal: number
  id: string
  slug: string
  title: string
  description: string
  agency: string
  ministry_family: string | null
  trusted_centre: string
  security_classification: string
  sensitivity: string
  themes: string[]
  tags: string[]
  update_frequency: string
  latest_at: Date | string
  sample_available: boolean
  row_count: string | number | null
  score: string | number
  title_match: boolean
  tags_match: boolean
  description_match: boolean
  matched_columns: string[] | null
  typo: boolean
}

/** What a result card shows, and why each dataset of the page matched. */
async function details(
  db: Kysely<SearchTables>,
  readable: Readable,
  page: number[],
  q: string,
  query: RawBuilder<unknown>,
  typed: RawBuilder<unknown>,
): Promise<Map<number, DetailRow>> {
  const when = <T>(expression: RawBuilder<T>, otherwise: RawBuilder<T>) =>
    q ? expression : otherwise
  const rows = await db
    .selectFrom('dataset_search as s')
    .innerJoin('datasets as d', 'd.id', 's.dataset_id')
    .leftJoin('agencies as a', 'a.code', 'd.agency')
    .where(readable)
    .where(sql<SqlBool>`s.ordinal = any(${sql.val(page)}::int[])`)
    .select([
      's.ordinal',
      'd.id',
      'd.slug',
      'd.title',
      'd.description',
      'd.agency',
      'a.ministry_family',
      'd.trusted_centre',
      'd.security_classification',
      'd.sensitivity',
      'd.themes',
      'd.tags',
      'd.update_frequency',
      's.latest_at',
      's.sample_available',
      sql<
        string | null
      >`(select v.row_count from dataset_versions v where v.dataset_id = d.id order by v.version desc limit 1)`.as(
        'row_count',
      ),
      when(
        sql<number>`ts_rank(s.search_vector, ${query})
          + case when lower(d.title) = lower(${q}) then ${EXACT_TITLE} else 0 end`,
        sql<number>`0`,
      ).as('score'),
      when(sql<boolean>`to_tsvector('english', d.title) @@ ${query}`, sql`false`).as('title_match'),
      when(sql<boolean>`to_tsvector('english', d.tags_text) @@ ${query}`, sql`false`).as(
        'tags_match',
      ),
      when(sql<boolean>`to_tsvector('english', d.description) @@ ${query}`, sql`false`).as(
        'description_match',
      ),
      when(
        sql<string[] | null>`(select array_agg(c.name order by c.position) from dataset_columns c
          where c.dataset_id = d.id
          and to_tsvector('english', c.name || ' ' || replace(c.name, '_', ' ') || ' ' || c.description) @@ ${query})`,
        sql`null`,
      ).as('matched_columns'),
      when(sql<boolean>`not (s.search_vector @@ ${typed})`, sql`false`).as('typo'),
    ])
    .execute()
  return new Map(rows.map((r) => [Number(r.ordinal), r as unknown as DetailRow]))
}
