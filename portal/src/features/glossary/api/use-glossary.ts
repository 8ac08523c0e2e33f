import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type GlossaryEntryInfo = InferResponseType<
  ApiClient['api']['glossary']['$get'],
  200
>['data'][number]

export function useGlossary() {
  const api = useApi()
  return useQuery({
    queryKey: ['glossary'],
    queryFn: async () => unwrap<GlossaryEntryInfo[]>(await api.api.glossary.$get()),
  })
}
