import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import type { ApiClient } from '../../../lib/api-client.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type ChangesResponse = InferResponseType<
  ApiClient['api']['datasets'][':id']['changes']['$get'],
  200
>
type EntitlementsResponse = InferResponseType<ApiClient['api']['entitlements']['$get'], 200>

/** One recorded metadata change: which field, from what, to what, by whom and when. */
export type MetadataChange = ChangesResponse['data'][number]
/** What the reader may read of one dataset, on one basis. */
export type Entitlement = EntitlementsResponse['data'][number]

/** The dataset's metadata change history, newest first. */
export function useDatasetChanges(slug: string) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'changes'],
    queryFn: async () =>
      unwrap<MetadataChange[]>(await api.api.datasets[':id'].changes.$get({ param: { id: slug } })),
  })
}

/** What the reader may read right now, across the catalogue (grants, open data, samples). */
export function useEntitlements() {
  const api = useApi()
  return useQuery({
    queryKey: ['entitlements'],
    queryFn: async () => unwrap<Entitlement[]>(await api.api.entitlements.$get()),
  })
}
