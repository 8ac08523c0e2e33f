import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, setCsrfToken, unwrap } from './api-client.js'
import { useApi } from './api-context.js'

type MeResponse = InferResponseType<ApiClient['api']['auth']['me']['$get'], 200>
/** The signed-in person and how they signed in. */
export type Me = NonNullable<MeResponse['data']>
export type PortalUser = Me['user']
/** What a person may do on the platform, as the API names it. */
export type Role = PortalUser['roles'][number]

/** The signed-in person, or null when nobody is signed in. */
export function useMe() {
  const api = useApi()
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Me | null> => {
      const me = await unwrap<Me | null>(await api.api.auth.me.$get())
      setCsrfToken(me?.csrfToken)
      return me
    },
    staleTime: 60_000,
  })
}

/** Whether the signed-in person holds a role; for showing navigation, never for access. */
export function useHasRole(role: Role): boolean {
  const me = useMe()
  return me.data?.user.roles.includes(role) ?? false
}
