import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

/** A dataset the signed-in person follows, with its current version and last event. */
export type FollowedDataset = InferResponseType<
  ApiClient['api']['follows']['$get'],
  200
>['data'][number]

type FollowState = InferResponseType<
  ApiClient['api']['datasets'][':id']['follow']['$put'],
  200
>['data']

/** The datasets the signed-in person follows, newest first. */
export function useFollows() {
  const api = useApi()
  return useQuery({
    queryKey: ['follows'],
    queryFn: async () => unwrap<FollowedDataset[]>(await api.api.follows.$get()),
  })
}

/** Follows (true) or stops following (false) a dataset; the list of follows is read again. */
export function useSetFollowing() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ slug, following }: { slug: string; following: boolean }) => {
      const endpoint = api.api.datasets[':id'].follow
      const param = { param: { id: slug } }
      return unwrap<FollowState>(
        following ? await endpoint.$put(param) : await endpoint.$delete(param),
      )
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['follows'] }),
  })
}
