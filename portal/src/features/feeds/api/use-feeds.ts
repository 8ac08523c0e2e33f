import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type FeedContractInfo = InferResponseType<
  ApiClient['api']['feeds']['$get'],
  200
>['data'][number]

export function useFeeds() {
  const api = useApi()
  return useQuery({
    queryKey: ['feeds'],
    queryFn: async () => unwrap<FeedContractInfo[]>(await api.api.feeds.$get()),
  })
}
