import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

/** Why and since when a dataset is deprecated, and what succeeds it (null: not deprecated). */
export type DeprecationState = InferResponseType<
  ApiClient['api']['datasets'][':id']['deprecation']['$put'],
  200
>['data']['deprecation']

/**
 * A steward marks the dataset deprecated (with a reason and, optionally, a successor's slug) or
 * withdraws it (null); the server checks they may. The dataset pages are read again.
 */
export function useSetDeprecation(slug: string) {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (deprecation: { reason: string; successor: string | null } | null) => {
      const endpoint = api.api.datasets[':id'].deprecation
      const param = { id: slug }
      return unwrap<{ deprecation: DeprecationState }>(
        deprecation
          ? await endpoint.$put({ param, json: deprecation })
          : await endpoint.$delete({ param }),
      )
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['datasets'] }),
        queryClient.invalidateQueries({ queryKey: ['follows'] }),
      ]),
  })
}
