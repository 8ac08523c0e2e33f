import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type SearchResponse = InferResponseType<ApiClient['api']['search']['$get'], 200>['data']
export type SearchData = SearchResponse
export type SearchHitInfo = SearchResponse['hits'][number]
export type FacetName = keyof SearchResponse['facets']

/** What the search page asks for; it lives in the URL so a search can be shared. */
export interface SearchState {
  q: string
  sort: 'relevance' | 'updated' | 'popular'
  page: number
  filters: Partial<Record<FacetName, string[]>>
}

export const PAGE_SIZE = 20

export function useSearch(state: SearchState) {
  const api = useApi()
  return useQuery({
    queryKey: ['search', state],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap<SearchData>(
        await api.api.search.$get({
          query: {
            ...(state.q ? { q: state.q } : {}),
            sort: state.sort,
            page: String(state.page),
            pageSize: String(PAGE_SIZE),
            ...state.filters,
          },
        }),
      ),
  })
}
