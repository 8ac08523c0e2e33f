import { type Kysely, sql } from 'kysely'
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
 */
export async function spellingOf(db: Kysely<CatalogTables>, q: string): Promise<Spelling> {
  const words = [...new Set(wordsOf(q))]
  if (words.length === 0) return { widened: undefined, suggestion: undefined }
  const { rows } = await sql<{ input: string; word: string }>`
    select w.input, v.word from unnest(${sql.val(words)}::text[]) as w(input)
    cross join lateral (select word from search_words where word % w.input
      order by similarity(word, w.input) desc, word limit 3) v`.execute(db)
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
