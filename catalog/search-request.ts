import type { Facet } from './facet-values.js'

/** A catalogue search: what was typed, the facets chosen, the order and the page. */
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
  agencyName: string | undefined
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

/** A facet value with how people read it and how many matches carry it. */
export interface FacetCount {
  value: string
  label: string
  count: number
}

export interface SearchResult {
  total: number
  hits: SearchHit[]
  /** Every value with matches, and every chosen value even without (count 0). */
  facets: Record<Facet, FacetCount[]>
  /** Glossary terms the words were read as (by name, synonym or abbreviation). */
  terms: string[]
  /** Words close to those typed that find something, when those typed found nothing. */
  didYouMean: string | undefined
}
