import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, setCsrfToken, unwrap } from '../../../lib/api-client.js'
import type { PortalUser } from '../../../lib/use-me.js'

type Methods = InferResponseType<ApiClient['api']['auth']['methods']['$get'], 200>['data']

import { useApi } from '../../../lib/api-context.js'

export function useSignInMethods() {
  const api = useApi()
  return useQuery({
    queryKey: ['auth', 'methods'],
    queryFn: async () => unwrap<Methods>(await api.api.auth.methods.$get()),
  })
}

export function useDevUsers(enabled: boolean) {
  const api = useApi()
  return useQuery({
    queryKey: ['auth', 'dev-users'],
    enabled,
    queryFn: async () => unwrap<PortalUser[]>(await api.api.auth.dev.users.$get()),
  })
}

export function useDevSignIn() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (username: string) => {
      const result = await unwrap<{ user: PortalUser; csrfToken: string }>(
        await api.api.auth.dev['sign-in'].$post({ json: { user: username } }),
      )
      setCsrfToken(result.csrfToken)
      return result
    },
    onSuccess: () => queryClient.resetQueries(),
  })
}

export function useSignOut() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api.api.auth['sign-out'].$post()),
    onSuccess: () => {
      setCsrfToken(undefined)
      queryClient.setQueryData(['me'], null)
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
    },
  })
}
