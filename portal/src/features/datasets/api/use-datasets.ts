import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import type { ApiClient } from '../../../lib/api-client.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type DetailResponse = InferResponseType<ApiClient['api']['datasets'][':id']['$get'], 200>

/** A dataset page's data, with every version. */
export type DatasetDetail = DetailResponse['data']

export function useDataset(idOrSlug: string) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', idOrSlug],
    queryFn: async () =>
      unwrap<DatasetDetail>(await api.api.datasets[':id'].$get({ param: { id: idOrSlug } })),
  })
}
