import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely'
import { type AppAbility, accessibleWhere, type CoreTables } from '../core/index.js'
import type { CatalogTables } from './catalog-tables.js'

/** The facets a search can be narrowed by, each counted in every answer. */
export const FACETS = [
  'agency',
  'ministryFamily',
  'trustedCentre',
  'security',
  'sensitivity',
  'theme',
  'frequency',
  'sample',
] as const
export type Facet = (typeof FACETS)[number]

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

type SearchTables = CatalogTables & Pick<CoreTables, 'agencies'>
// biome-ignore lint/suspicious/noExplicitAny: the search query joins tables under aliases
type Eb = ExpressionBuilder<any, any>

const LATEST_VERSION = sql<number>`(select max(v.version) from dataset_versions v where v.dataset_id = d.id)`
const SAMPLE = sql<string>`(case when exists (select 1 from dataset_samples s where s.dataset_id = d.id
  and s.status = 'published' and s.version = ${LATEST_VERSION}) then 'available' else 'none' end)`

/** The SQL each facet groups by. Themes are an array: a dataset counts once under each of its themes. */
const FACET_VALUE: Record<Facet, ReturnType<typeof sql<string>>> = {
  agency: sql<string>`d.agency`,
  ministryFamily: sql<string>`a.ministry_family`,
  trustedCentre: sql<string>`d.trusted_centre`,
  security: sql<string>`d.security_classification`,
  sensitivity: sql<string>`d.sensitivity`,
  theme: sql<string>`unnest(d.themes)`,
  frequency: sql<string>`d.update_frequency`,
  sample: SAMPLE,
}

/**
 * Full-text search over titles, tags, descriptions and columns (weighted in that order), tolerant
 * of typos through trigram similarity, with facet counts and filters. Only datasets the caller
 * may discover are ever counted or returned.
 */
export async function searchDatasets(
  db: Kysely<SearchTables>,
  ability: AppAbility,
  request: SearchRequest,
): Promise<SearchResult> {
  const q = request.q?.trim() ?? ''
  const tsQuery = sql`websearch_to_tsquery('english', ${q})`
  const readable = accessibleWhere(ability, 'read', 'Dataset', {
    agency: 'd.agency',
    security: 'd.security_classification',
    sensitivity: 'd.sensitivity',
  })
  // Trigram matching scans far more than the full-text index does, so it is only the fallback
  // for words the full text barely finds (typos, mostly).
  const fullTextMatches = q
    ? await db
        .selectFrom('datasets as d')
        .where(readable)
        .where(sql<SqlBool>`d.search_vector @@ ${tsQuery}`)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirst()
    : undefined
  const fuzzy = q !== '' && Number(fullTextMatches?.n ?? 0) < FUZZY_BELOW
  // The words are matched once; the total, the page and the eight facet counts then work on
  // those datasets by id instead of matching the text again each time.
  const matchedIds = q
    ? (
        await db
          .selectFrom('datasets as d')
          .where(readable)
          .where((eb) => matches(eb, q, fuzzy))
          .select('d.id')
          .execute()
      ).map((r) => r.id)
    : undefined
  const base = () =>
    db
      .selectFrom('datasets as d')
      .leftJoin('agencies as a', 'a.code', 'd.agency')
      .where(readable)
      .where(matchedIds ? sql<SqlBool>`d.id = any(${matchedIds})` : sql<SqlBool>`true`)
  const filtered = (except?: Facet) =>
    base().where((eb) => filterExpression(eb, request.filters, except))

  const counted = await countFacets(db, readable, matchedIds, request.filters)
  const total = counted.total
  const order =
    request.sort === 'updated'
      ? sql`coalesce((select max(v.created_at) from dataset_versions v where v.dataset_id = d.id), d.updated_at) desc`
      : request.sort === 'popular'
        ? sql`coalesce((select st.views + 5 * st.downloads + 2 * st.queries from dataset_stats st where st.dataset_id = d.id), 0) desc`
        : sql`score desc`
  const rows = await filtered()
    .select([
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
      'd.updated_at',
      sql<
        number | null
      >`(select v.row_count from dataset_versions v where v.dataset_id = d.id order by v.version desc limit 1)`.as(
        'row_count',
      ),
      sql<string>`${SAMPLE}`.as('sample'),
      (q
        ? sql<number>`ts_rank(d.search_vector, ${tsQuery}) + 0.5 * word_similarity(lower(${q}), lower(d.title))
            + case when lower(d.title) = lower(${q}) then 10 else 0 end`
        : sql<number>`0`
      ).as('score'),
      (q ? sql<boolean>`to_tsvector('english', d.title) @@ ${tsQuery}` : sql<boolean>`false`).as(
        'title_match',
      ),
      (q
        ? sql<boolean>`to_tsvector('english', d.tags_text) @@ ${tsQuery}`
        : sql<boolean>`false`
      ).as('tags_match'),
      (q
        ? sql<boolean>`to_tsvector('english', d.description) @@ ${tsQuery}`
        : sql<boolean>`false`
      ).as('description_match'),
      (q
        ? sql<
            string[] | null
          >`(select array_agg(c.name order by c.position) from dataset_columns c where c.dataset_id = d.id
            and to_tsvector('english', c.name || ' ' || replace(c.name, '_', ' ') || ' ' || c.description) @@ ${tsQuery})`
        : sql<null>`null`
      ).as('matched_columns'),
      (q ? sql<boolean>`not (d.search_vector @@ ${tsQuery})` : sql<boolean>`false`).as('typo'),
    ])
    .orderBy(order)
    .orderBy('d.title')
    .limit(request.pageSize)
    .offset((request.page - 1) * request.pageSize)
    .execute()

  const facets = counted.facets

  return {
    total: Number(total),
    facets,
    hits: rows.map((r) => ({
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
      updatedAt: r.updated_at,
      sampleAvailable: r.sample === 'available',
      score: Number(r.score),
      matched: {
        title: Boolean(r.title_match),
        tags: Boolean(r.tags_match),
        description: Boolean(r.description_match),
        columns: r.matched_columns ?? [],
        typo: Boolean(r.typo),
      },
    })),
  }
}

/** Below this many full-text matches, words close to a title or tag word count too. */
const FUZZY_BELOW = 3

/**
 * Words in the text, or, when `fuzzy`, close enough to a word of the title or tags (typos): the
 * `<%` operator is word similarity above pg_trgm's threshold (0.6).
 */
function matches(_eb: Eb, q: string, fuzzy: boolean) {
  const text = sql<SqlBool>`d.search_vector @@ websearch_to_tsquery('english', ${q})`
  if (!fuzzy) return text
  return sql<SqlBool>`(${text} or lower(${q}) <% lower(d.title) or lower(${q}) <% lower(d.tags_text))`
}

function filterExpression(eb: Eb, filters: SearchRequest['filters'], except: Facet | undefined) {
  const parts = filterParts(filters, except)
  return parts.length > 0 ? eb.and(parts) : sql<SqlBool>`true`
}

function filterParts(filters: SearchRequest['filters'], except: Facet | undefined) {
  return FACETS.filter((facet) => facet !== except && (filters[facet]?.length ?? 0) > 0).map(
    (facet) => {
      const values = filters[facet] ?? []
      if (facet === 'theme') return sql<SqlBool>`d.themes && ${sql.val(values)}::text[]`
      return sql<SqlBool>`${FACET_VALUE[facet]} in (${sql.join(values.map((v) => sql.val(v)))})`
    },
  )
}

/** All of the filters but one (or all of them), as one SQL condition. */
function filterSql(filters: SearchRequest['filters'], except: Facet | undefined) {
  const parts = filterParts(filters, except)
  return parts.length > 0 ? sql<boolean>`(${sql.join(parts, sql` and `)})` : sql<boolean>`true`
}

/**
 * The total and every facet's counts in one round trip: the visible, matched datasets are read
 * once (with, per facet, whether they pass every filter but that facet's own), then each facet
 * groups that set.
 */
async function countFacets(
  db: Kysely<SearchTables>,
  readable: ReturnType<typeof accessibleWhere>,
  matchedIds: string[] | undefined,
  filters: SearchRequest['filters'],
): Promise<{ total: number; facets: SearchResult['facets'] }> {
  const candidates = db
    .selectFrom('datasets as d')
    .leftJoin('agencies as a', 'a.code', 'd.agency')
    .where(readable)
    .where(matchedIds ? sql<SqlBool>`d.id = any(${matchedIds})` : sql<SqlBool>`true`)
    .select([
      ...FACETS.filter((f) => f !== 'theme').map((facet) => FACET_VALUE[facet].as(`v_${facet}`)),
      sql<string[]>`d.themes`.as('v_theme'),
      ...FACETS.map((facet) => filterSql(filters, facet).as(`ok_${facet}`)),
      filterSql(filters, undefined).as('ok_all'),
    ])
  const groups = FACETS.map((facet) =>
    facet === 'theme'
      ? sql`select 'theme' as facet, unnest(v_theme) as value, count(*) as n from m where ok_theme group by 2`
      : sql`select ${facet} as facet, ${sql.ref(`v_${facet}`)}::text as value, count(*) as n from m where ${sql.ref(`ok_${facet}`)} group by 2`,
  )
  const result = await sql<{ facet: string; value: string | null; n: string | number }>`
    with m as materialized (${candidates})
    select 'total' as facet, null as value, count(*) as n from m where ok_all
    union all ${sql.join(groups, sql` union all `)}`.execute(db)
  const facets = Object.fromEntries(
    FACETS.map((f) => [f, [] as { value: string; count: number }[]]),
  ) as SearchResult['facets']
  let total = 0
  for (const row of result.rows) {
    if (row.facet === 'total') total = Number(row.n)
    else if (row.value !== null)
      facets[row.facet as Facet].push({ value: String(row.value), count: Number(row.n) })
  }
  for (const facet of FACETS)
    facets[facet].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  return { total, facets }
}
