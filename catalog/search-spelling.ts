import { type Kysely, type SqlBool, sql } from 'kysely'
import type { accessibleWhere } from '../identity/index.js'
import type { CatalogTables } from './catalog-tables.js'

/** What the words typed may have meant, from the vocabulary of titles, tags and the glossary. */
export interface Spelling {
  /**
   * Each word widened to its closest known words, as tsquery text: `geocde` becomes
   * `(geocde | geocode)`. Searched together with the words as typed, so what they found is still
   * found. Undefined when no word is long enough to correct.
   */
  widened: string | undefined
  /** The words typed with each unknown word replaced by the closest known one, if any was. */
  suggestion: string | undefined
}

const wordsOf = (q: string) =>
  q
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => !w.startsWith('-'))
    .flatMap((w) => w.split(/[^a-z0-9]+/))
    .filter((w) => w.length >= 3)

/**
 * Looks the words up in `search_words` by trigram similarity (pg_trgm, in PGlite too): a few
 * thousand words, so a typo costs one index lookup per word rather than a pass over every title.
 *
 * `search_words` holds the words of every title and tag, so a word is only ever offered (or
 * searched for) if on its own it finds a dataset the caller may discover, or is a word of the
 * glossary (which everyone signed in may read). Checking each word alone matters: the search
 * reads `or`, so a phrase that finds something may still carry a word of a hidden title.
 */
export async function spellingOf(
  db: Kysely<CatalogTables>,
  /** The read rules on `dataset_search as s`: the datasets the caller may discover. */
  readable: ReturnType<typeof accessibleWhere>,
  q: string,
): Promise<Spelling> {
  const words = [...new Set(wordsOf(q))]
  if (words.length === 0) return { widened: undefined, suggestion: undefined }
  const discoverable = db
    .selectFrom('dataset_search as s')
    .where(readable)
    .where(sql<SqlBool>`s.search_vector @@ plainto_tsquery('english', sw.word)`)
    .select(sql`1`.as('one'))
  const { rows } = await sql<{ input: string; word: string }>`
    with glossary_words as materialized (
      select distinct w from glossary_terms g, regexp_split_to_table(lower(array_to_string(
        array[g.term] || g.synonyms || g.abbreviations, ' ')), '[^a-z0-9]+') w)
    select w.input, v.word from unnest(${sql.val(words)}::text[]) as w(input)
    cross join lateral (select sw.word from search_words sw where sw.word % w.input
      and (exists (select 1 from glossary_words gw where gw.w = sw.word) or exists (${discoverable}))
      order by similarity(sw.word, w.input) desc, sw.word limit 3) v`.execute(db)
  const near = (w: string) => rows.filter((r) => r.input === w).map((r) => r.word)
  const widened = words.map((w) => `(${[w, ...near(w).filter((n) => n !== w)].join(' | ')})`)
  let suggestion = q.trim()
  let changed = false
  for (const w of words) {
    const [closest] = near(w)
    if (closest === undefined || closest === w) continue
    const alone = new RegExp(`(?<![a-z0-9])${w}(?![a-z0-9])`, 'gi')
    suggestion = suggestion.replace(alone, closest)
    changed = true
  }
  return { widened: widened.join(' & '), suggestion: changed ? suggestion : undefined }
}
