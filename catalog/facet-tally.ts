import { FACETS, type Facet, type FacetValues, SINGLE_FACETS } from './facet-values.js'
import type { SearchRequest } from './search-request.js'
import { topK } from './top-k.js'

/** Rank added for a title equal to the words typed; full-text ranks stay far below it. */
export const EXACT_TITLE = 10

/** The datasets the caller may see that match the words, by search ordinal. */
export interface Matches {
  ordinals: Int32Array
  /** Sort key per match (higher first); absent when every match ties. */
  keys: Float64Array | undefined
}

/** Counts by facet value, before labels. */
export type FacetTally = Record<Facet, { value: string; count: number }[]>

/**
 * The total, each facet's counts and the page's ordinals, in one pass over the matches. A facet's
 * counts ignore that facet's own filter (so they say what choosing a value would give): a match
 * failing no filter counts under every facet, one failing only facet F counts under F alone.
 * A chosen value is listed even when nothing carries it, so that it can still be removed.
 * Written as plain loops over typed arrays: it runs over up to every dataset on each search.
 */
export function tally(values: FacetValues, matches: Matches, request: SearchRequest) {
  const { ordinals } = matches
  const columns = SINGLE_FACETS.map((facet) => values.column(facet))
  const counts = SINGLE_FACETS.map((facet) => new Int32Array(values.size(facet)))
  const themeCounts = new Int32Array(values.size('theme'))
  const themes = values.themeTable()
  const chosen = FACETS.filter((f) => (request.filters[f]?.length ?? 0) > 0)
  /** Per filter: its facet's index in SINGLE_FACETS (-1 for themes), 1 by each code it accepts. */
  const filters = chosen.map((facet) => {
    const accepts = new Uint8Array(values.size(facet))
    for (const code of values.codesOf(facet, request.filters[facet] ?? [])) accepts[code] = 1
    return { index: facet === 'theme' ? -1 : SINGLE_FACETS.indexOf(facet), accepts }
  })
  const countThemes = (ordinal: number) => {
    const end = themes.starts[ordinal + 1] ?? 0
    for (let t = themes.starts[ordinal] ?? 0; t < end; t++) {
      const code = themes.codes[t] as number
      themeCounts[code] = (themeCounts[code] as number) + 1
    }
  }
  const hasTheme = (ordinal: number, accepts: Uint8Array) => {
    const end = themes.starts[ordinal + 1] ?? 0
    for (let t = themes.starts[ordinal] ?? 0; t < end; t++)
      if (accepts[themes.codes[t] as number] === 1) return true
    return false
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
      const { index, accepts } = filters[f] as (typeof filters)[number]
      const ok =
        index >= 0
          ? accepts[(columns[index] as Int32Array)[ordinal] as number] === 1
          : hasTheme(ordinal, accepts)
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

  const listed = (facet: Facet, tally: Int32Array) => {
    const picked = new Set(request.filters[facet] ?? [])
    const found = Array.from(tally, (count, code) => ({
      value: values.valueOf(facet, code) ?? '',
      count,
    })).filter((f) => f.count > 0 || picked.has(f.value))
    const unseen = [...picked]
      .filter((value) => !found.some((f) => f.value === value))
      .map((value) => ({ value, count: 0 }))
    return [...found, ...unseen].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  }
  const facets = Object.fromEntries([
    ...SINGLE_FACETS.map((facet, c) => [facet, listed(facet, counts[c] as Int32Array)]),
    ['theme', listed('theme', themeCounts)],
  ]) as FacetTally

  // Highest key first (relevance: weighted rank, an exact title above all), then by title.
  const exact = request.sort === 'relevance' ? request.q?.trim().toLowerCase() : undefined
  // The matches may be kept for other searches (see MatchCache): boosted keys go in a copy.
  let keys = matches.keys ?? new Float64Array(ordinals.length)
  let boosted = false
  if (exact) {
    for (let p = 0; p < total; p++) {
      const i = passing[p] as number
      const title = values.title(ordinals[i] as number)
      if (title.length === exact.length && title.toLowerCase() === exact) {
        if (keys === matches.keys) keys = keys.slice()
        keys[i] = (keys[i] ?? 0) + EXACT_TITLE
        boosted = true
      }
    }
  }
  const titleRank = values.titleRanks()
  const byTitle = (a: number, b: number) =>
    (titleRank[ordinals[a] as number] as number) < (titleRank[ordinals[b] as number] as number)
  const best = topK(
    passing.subarray(0, total),
    request.page * request.pageSize,
    // With no keys every match ties (browsing): title order alone.
    matches.keys === undefined && !boosted
      ? byTitle
      : (a, b) => {
          const ka = keys[a] as number
          const kb = keys[b] as number
          return ka !== kb ? ka > kb : byTitle(a, b)
        },
  )
  const page = best.slice((request.page - 1) * request.pageSize).map((i) => ordinals[i] as number)
  return { total, facets, page }
}
