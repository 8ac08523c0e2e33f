import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type ApiTokenInfo = InferResponseType<
  ApiClient['api']['tokens']['$get'],
  200
>['data'][number]
export interface NewToken {
  name: string
  scopes: ('read' | 'write')[]
  expiresInDays: number
}

export function useTokens() {
  const api = useApi()
  return useQuery({
    queryKey: ['tokens'],
    queryFn: async () => unwrap<ApiTokenInfo[]>(await api.api.tokens.$get()),
  })
}

export function useCreateToken() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (request: NewToken) =>
      unwrap<{ token: string; apiToken: ApiTokenInfo }>(
        await api.api.tokens.$post({ json: request }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  })
}

export function useRevokeToken() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap<ApiTokenInfo>(await api.api.tokens[':id'].revoke.$post({ param: { id } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  })
}
