import type { Matches } from './facet-tally.js'

/** Ordinals held at most over every kept answer: with their sort keys, about 24 MB. */
const MAX_ORDINALS = 2_000_000
/** Answers kept at most: the words people are searching now, and the pages of each. */
const MAX_ANSWERS = 128

interface Kept {
  /** The catalogue's generation (FacetValues.generation) read before the statement began. */
  generation: number
  matches: Matches
}

/**
 * The matches of recent match statements, by the statement's SQL and values: the words as read
 * (glossary included), the caller's read rules and the sort. Choosing a facet, paging and the
 * next person searching the same words with the same rules then cost no statement. An answer is
 * only used at the generation read before its statement began, so any dataset changed, added or
 * removed since (each bumps the generation at the next refresh, which every search awaits before
 * looking here) means asking again. Answers that depend on
 * anything outside the search copy of the datasets (popularity counts) are never kept.
 */
export class MatchCache {
  private readonly kept = new Map<string, Kept>()
  private held = 0

  /** The kept answer to `key`, if it was read at `generation`. */
  get(key: string, generation: number): Matches | undefined {
    const found = this.kept.get(key)
    if (!found) return undefined
    this.drop(key)
    if (found.generation !== generation) return undefined
    // Most recently used last: the first entries are the first to go.
    this.kept.set(key, found)
    this.held += found.matches.ordinals.length
    return found.matches
  }

  /** Keeps `matches` as the answer to `key`, read by a statement begun at `generation`. */
  set(key: string, generation: number, matches: Matches): void {
    const size = matches.ordinals.length
    if (size > MAX_ORDINALS) return
    this.drop(key)
    while (
      this.kept.size > 0 &&
      (this.kept.size >= MAX_ANSWERS || this.held + size > MAX_ORDINALS)
    ) {
      const oldest = this.kept.keys().next().value as string
      this.drop(oldest)
    }
    this.kept.set(key, { generation, matches })
    this.held += size
  }

  private drop(key: string): void {
    const found = this.kept.get(key)
    if (!found) return
    this.kept.delete(key)
    this.held -= found.matches.ordinals.length
  }
}
