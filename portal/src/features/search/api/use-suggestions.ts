import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type SuggestionsResponse = InferResponseType<
  ApiClient['api']['search']['suggestions']['$get'],
  200
>['data']
export type SearchSuggestion = SuggestionsResponse[number]

/** Fewer characters than this suggest nothing (the server says the same). */
const SHORTEST = 2

/** Suggestions for what has been typed, asked for once typing pauses. */
export function useSuggestions(typed: string) {
  const api = useApi()
  const [settled] = useDebouncedValue(typed.trim(), 150)
  return useQuery({
    queryKey: ['search-suggestions', settled],
    enabled: settled.length >= SHORTEST,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: async () =>
      unwrap<SuggestionsResponse>(await api.api.search.suggestions.$get({ query: { q: settled } })),
  })
}
