import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import type { ApiClient } from '../../../lib/api-client.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type ProfilesResponse = InferResponseType<
  ApiClient['api']['datasets'][':id']['versions'][':version']['profiles']['$get'],
  200
>

/** A version's column profiles, as the disclosure rules let them out. */
export type VersionProfiles = ProfilesResponse['data']
/** One column's profile. */
export type ColumnProfile = VersionProfiles['columns'][number]

export function useColumnProfiles(slug: string, version: number) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'versions', version, 'profiles'],
    queryFn: async () =>
      unwrap<VersionProfiles>(
        await api.api.datasets[':id'].versions[':version'].profiles.$get({
          param: { id: slug, version: String(version) },
        }),
      ),
  })
}
