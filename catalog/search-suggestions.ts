import { type Kysely, type SqlBool, sql } from 'kysely'
import type { IdentityTables } from '../identity/index.js'
import { type AppAbility, accessibleWhere } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'

/** One suggestion as a person types: something to open, to search for, or to filter by. */
export type Suggestion =
  | { kind: 'dataset'; label: string; dataset: { slug: string; title: string } }
  | { kind: 'column'; label: string; dataset: { slug: string; title: string } }
  | { kind: 'term'; label: string; matched: string | undefined }
  | { kind: 'agency'; label: string; code: string }

type SuggestTables = CatalogTables & Pick<IdentityTables, 'agencies'>

/** At most this many suggestions, shared out so that no kind crowds out the others. */
export const MAX_SUGGESTIONS = 10
const SHARE = { dataset: 4, column: 3, term: 2, agency: 2 } as const
/** Fewer characters than this match too much to be worth suggesting. */
const SHORTEST = 2

/** The text for a LIKE pattern, its `%`, `_` and backslashes meaning themselves. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)
const likePattern = (text: string) => `%${likeLiteral(text)}%`
const startPattern = (text: string) => `${likeLiteral(text)}%`
const regexPart = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`)

/**
 * Datasets, columns (with their dataset), glossary terms and agencies with a word starting with
 * what was typed. Datasets and columns are only of datasets the caller may discover, and an
 * agency only if it owns one: the same read rules as search, in the same SQL statement.
 */
export async function suggestFor(
  db: Kysely<SuggestTables>,
  ability: AppAbility,
  typed: string,
): Promise<Suggestion[]> {
  const prefix = typed.trim().toLowerCase().replace(/\s+/g, ' ')
  if (prefix.length < SHORTEST) return []
  const readable = accessibleWhere(ability, 'read', 'Dataset', {
    agency: 's.agency',
    security: 's.security_classification',
    sensitivity: 's.sensitivity',
  })
  // A word starts with the prefix: at the start of the text or after a character that is not
  // a letter or digit. The LIKE narrows by the trigram indexes; the regular expression decides.
  const wordStart = `(^|[^[:alnum:]])${regexPart(prefix)}`
  const columnPrefix = prefix.replace(/ /g, '_')
  const columnStart = `(^|[^[:alnum:]])${regexPart(columnPrefix)}`
  const [datasets, columns, terms, agencies] = await Promise.all([
    db
      .selectFrom('dataset_search as s')
      .innerJoin('datasets as d', 'd.id', 's.dataset_id')
      .where(readable)
      .where(sql<SqlBool>`lower(s.title) like ${likePattern(prefix)}`)
      .where(sql<SqlBool>`lower(s.title) ~ ${wordStart}`)
      .select(['d.slug', 'd.title'])
      .orderBy(sql`lower(s.title) like ${startPattern(prefix)}`, 'desc')
      .orderBy(sql`length(s.title)`)
      .orderBy('d.title')
      .limit(MAX_SUGGESTIONS)
      .execute(),
    db
      .selectFrom('dataset_columns as c')
      .innerJoin('dataset_search as s', 's.dataset_id', 'c.dataset_id')
      .innerJoin('datasets as d', 'd.id', 'c.dataset_id')
      .where(readable)
      .where(sql<SqlBool>`lower(c.name) like ${likePattern(columnPrefix)}`)
      .where(sql<SqlBool>`lower(c.name) ~ ${columnStart}`)
      .select(['c.name', 'd.slug', 'd.title'])
      .orderBy(sql`lower(c.name) = ${columnPrefix}`, 'desc')
      .orderBy(sql`length(c.name)`)
      .orderBy('c.name')
      .orderBy('d.title')
      .limit(MAX_SUGGESTIONS)
      .execute(),
    db
      .selectFrom('glossary_terms as g')
      .select([
        'g.term',
        sql<string | null>`(select n from unnest(g.synonyms || g.abbreviations) n
          where lower(n) ~ ${wordStart} order by length(n) limit 1)`.as('matched'),
      ])
      .where(
        sql<SqlBool>`exists (select 1 from unnest(array[g.term] || g.synonyms || g.abbreviations) n
          where lower(n) ~ ${wordStart})`,
      )
      .orderBy(sql`lower(g.term) like ${startPattern(prefix)}`, 'desc')
      .orderBy('g.term')
      .limit(MAX_SUGGESTIONS)
      .execute(),
    db
      .selectFrom('agencies as a')
      .select(['a.code', 'a.name'])
      .where(
        sql<SqlBool>`(lower(a.code) like ${startPattern(prefix)} or lower(a.name) ~ ${wordStart})`,
      )
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('dataset_search as s')
            .select(sql`1`.as('one'))
            .whereRef('s.agency', '=', 'a.code')
            .where(readable),
        ),
      )
      .orderBy('a.name')
      .limit(MAX_SUGGESTIONS)
      .execute(),
  ])
  const found: Record<keyof typeof SHARE, Suggestion[]> = {
    dataset: datasets.map((d) => ({
      kind: 'dataset',
      label: d.title,
      dataset: { slug: d.slug, title: d.title },
    })),
    column: columns.map((c) => ({
      kind: 'column',
      label: c.name,
      dataset: { slug: c.slug, title: c.title },
    })),
    term: terms.map((t) => ({
      kind: 'term',
      label: t.term,
      // Shown when the term was found by another of its names ("NRIC" for NRIC/FIN).
      matched: startsAWord(t.term, prefix) ? undefined : (t.matched ?? undefined),
    })),
    agency: agencies.map((a) => ({ kind: 'agency', label: a.name, code: a.code })),
  }
  return shareOut(found)
}

function startsAWord(text: string, prefix: string): boolean {
  return new RegExp(`(^|[^\\p{L}\\p{N}])${regexPart(prefix)}`, 'u').test(text.toLowerCase())
}

/** Each kind up to its share, then whatever room is left to the kinds with more, in order. */
function shareOut(found: Record<keyof typeof SHARE, Suggestion[]>): Suggestion[] {
  const kinds = Object.keys(SHARE) as (keyof typeof SHARE)[]
  const taken = Object.fromEntries(kinds.map((k) => [k, Math.min(SHARE[k], found[k].length)]))
  let room = MAX_SUGGESTIONS - kinds.reduce((sum, k) => sum + (taken[k] ?? 0), 0)
  for (const kind of kinds) {
    const more = Math.min(room, found[kind].length - (taken[kind] ?? 0))
    taken[kind] = (taken[kind] ?? 0) + more
    room -= more
  }
  return kinds.flatMap((kind) => found[kind].slice(0, taken[kind]))
}
