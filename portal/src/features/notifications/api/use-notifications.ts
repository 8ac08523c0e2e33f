import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type Inbox = InferResponseType<ApiClient['api']['notifications']['$get'], 200>['data']

/** The signed-in person's inbox, checked again every minute while the portal is open. */
export function useNotifications(enabled = true) {
  const api = useApi()
  return useQuery({
    queryKey: ['notifications'],
    queryFn: async () => unwrap<Inbox>(await api.api.notifications.$get()),
    refetchInterval: 60_000,
    enabled,
  })
}

export function useMarkAllRead() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () =>
      unwrap<{ marked: number }>(await api.api.notifications.read.$post({ json: {} })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  })
}
