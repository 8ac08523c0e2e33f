import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import type { ApiClient } from '../../../lib/api-client.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type DiffResponse = InferResponseType<
  ApiClient['api']['datasets'][':id']['schema-diff']['$get'],
  200
>

/** Columns added, removed, retyped and relabelled between two versions. */
export type SchemaDiffData = DiffResponse['data']

/** The difference from version `from` to `to`; not asked for until both are chosen. */
export function useSchemaDiff(slug: string, from: number | undefined, to: number | undefined) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'schema-diff', from, to],
    enabled: from !== undefined && to !== undefined && from !== to,
    queryFn: async () =>
      unwrap<SchemaDiffData>(
        await api.api.datasets[':id']['schema-diff'].$get({
          param: { id: slug },
          query: { from: String(from), to: String(to) },
        }),
      ),
  })
}
