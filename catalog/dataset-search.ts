import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { IdentityTables } from '../identity/index.js'
import { type AppAbility, accessibleWhere } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { facetLabel } from './facet-labels.js'
import { EXACT_TITLE, tally } from './facet-tally.js'
import { FACETS, FacetValues } from './facet-values.js'
import { termMeanings } from './glossary.js'
import { MatchCache } from './search-match-cache.js'
import { type MatchSources, matchDatasets } from './search-matches.js'
import { candidateKeys, readQuery } from './search-query.js'
import type { SearchRequest, SearchResult } from './search-request.js'
import { spellingOf } from './search-spelling.js'

export { FACETS, type Facet } from './facet-values.js'
export type { FacetCount, SearchHit, SearchRequest, SearchResult } from './search-request.js'

type SearchTables = CatalogTables & Pick<IdentityTables, 'agencies'>
type Readable = ReturnType<typeof accessibleWhere>

/** Below this many full-text matches, words close to a title or tag word count too. */
const FUZZY_BELOW = 3

/** Per database: its datasets' facet values in memory, and the match statements' answers. */
const catalogues = new WeakMap<object, { values: FacetValues; cache: MatchCache }>()

/**
 * Full-text search over titles, tags, descriptions and columns (weighted in that order), tolerant
 * of typos, with facet counts and filters. Only datasets the caller may discover are ever
 * counted or returned: the read rules are part of every SQL statement.
 *
 * The words are read for meaning first: a glossary term's name, synonym or abbreviation stands
 * for all of them ("NRIC" finds the columns carrying NRIC/FIN), and identifiers are split as
 * the documents are (`postal_code` is "postal code"). One statement then finds the matching
 * datasets the caller may see, with their sort keys (kept for the next search of the same words
 * by the same rules, see matchDatasets); facet counts, filters and the page are worked out over
 * those matches in memory (see FacetValues), and a last statement reads the page's details,
 * the read rules in its WHERE too.
 */
export async function searchDatasets(
  db: Kysely<SearchTables>,
  ability: AppAbility,
  request: SearchRequest,
): Promise<SearchResult> {
  const q = request.q?.trim() ?? ''
  let catalogue = catalogues.get(db)
  if (!catalogue) {
    catalogue = { values: new FacetValues(db), cache: new MatchCache() }
    catalogues.set(db, catalogue)
  }
  const { values } = catalogue
  const sources: MatchSources = catalogue
  const refreshed = values.refresh()
  const readable = accessibleWhere(ability, 'read', 'Dataset', {
    agency: 's.agency',
    security: 's.security_classification',
    sensitivity: 's.sensitivity',
  })
  const meant = q ? await meaningOf(db, q) : undefined
  // Kept matches are only used once the values know of every change committed before the call.
  await refreshed
  let query = meant?.query
  let matches = await matchDatasets(db, sources, readable, query, request.sort)
  let didYouMean: string | undefined
  if (meant && matches.ordinals.length < FUZZY_BELOW) {
    const typedFound = matches.ordinals.length > 0
    const spelling = await spellingOf(db, readable, q)
    if (spelling.widened) {
      query = sql`(${meant.query} || to_tsquery('english', ${spelling.widened}))`
      matches = await matchDatasets(db, sources, readable, query, request.sort)
    }
    // Offered only when the words typed found nothing, and only if the words offered find
    // something the caller may see together too (each corrected word does on its own).
    const offered = spelling.suggestion
    if (!typedFound && offered && (await findsAny(db, readable, offered))) didYouMean = offered
  }
  const counted = tally(values, matches, request)
  const agencyName = (code: string) => values.agencyName(code)
  const facets = Object.fromEntries(
    FACETS.map((facet) => [
      facet,
      counted.facets[facet].map((f) => ({ ...f, label: facetLabel(facet, f.value, agencyName) })),
    ]),
  ) as SearchResult['facets']
  const { total, page } = counted
  const typed = meant?.query ?? sql`websearch_to_tsquery('english', '')`
  const rows =
    page.length > 0 ? await details(db, readable, page, q, query ?? typed, typed) : new Map()
  return {
    total,
    facets,
    terms: meant?.terms ?? [],
    didYouMean,
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
          agencyName: r.agency_name ?? undefined,
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

interface Meaning {
  query: RawBuilder<unknown>
  terms: string[]
}

/** The words as a tsquery, each glossary term found in them standing for all its names. */
async function meaningOf(db: Kysely<SearchTables>, q: string): Promise<Meaning> {
  const read = readQuery(q, await termMeanings(db, candidateKeys(q)))
  const parts = [
    ...(read.rest.trim() ? [sql`websearch_to_tsquery('english', ${read.rest})`] : []),
    ...read.terms.map(
      (t) =>
        sql`(${sql.join(
          t.phrases.map((p) => sql`phraseto_tsquery('english', ${p})`),
          sql` || `,
        )})`,
    ),
  ]
  const query =
    parts.length > 0
      ? sql`(${sql.join(parts, sql` && `)})`
      : sql`websearch_to_tsquery('english', '')`
  return { query, terms: read.terms.map((t) => t.term) }
}

/** Whether the words offered instead of those typed find a dataset the caller may see. */
async function findsAny(
  db: Kysely<SearchTables>,
  readable: Readable,
  offered: string,
): Promise<boolean> {
  const { query } = await meaningOf(db, offered)
  const row = await db
    .selectFrom('dataset_search as s')
    .where(readable)
    .where(sql<SqlBool>`s.search_vector @@ ${query}`)
    .select(sql<number>`1`.as('one'))
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

interface DetailRow {
  ordinal: number
  id: string
  slug: string
  title: string
  description: string
  agency: string
  agency_name: string | null
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
      'a.name as agency_name',
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
      when(sql<boolean>`to_tsvector('english', search_text(d.title)) @@ ${query}`, sql`false`).as(
        'title_match',
      ),
      when(
        sql<boolean>`to_tsvector('english', search_text(d.tags_text)) @@ ${query}`,
        sql`false`,
      ).as('tags_match'),
      when(
        sql<boolean>`to_tsvector('english', search_text(d.description)) @@ ${query}`,
        sql`false`,
      ).as('description_match'),
      when(
        sql<string[] | null>`(select array_agg(c.name order by c.position) from dataset_columns c
          where c.dataset_id = d.id
          and to_tsvector('english', search_text(c.name || ' ' || c.description || ' ' || coalesce(
            (select string_agg(g.term, ' ') from column_glossary cg join glossary_terms g on g.id = cg.term_id
              where cg.dataset_id = c.dataset_id and cg.column_name = c.name), ''))) @@ ${query})`,
        sql`null`,
      ).as('matched_columns'),
      when(sql<boolean>`not (s.search_vector @@ ${typed})`, sql`false`).as('typo'),
    ])
    .execute()
  return new Map(rows.map((r) => [Number(r.ordinal), r as unknown as DetailRow]))
}
