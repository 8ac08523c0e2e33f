import { useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type PreviewResponse = InferResponseType<
  ApiClient['api']['datasets'][':id']['versions'][':version']['preview']['$get'],
  200
>

/** The first rows of a version's de-identified sample: columns with their types, and rows. */
export type SamplePreview = PreviewResponse['data']

/**
 * A sample's first rows as its dataset page shows them: a small file the server keeps beside
 * the sample, so a page view runs no query (and is not in the person's history of previews).
 */
export function useSamplePreview(slug: string, version: number) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'versions', version, 'preview'],
    queryFn: async () =>
      unwrap<SamplePreview>(
        await api.api.datasets[':id'].versions[':version'].preview.$get({
          param: { id: slug, version: String(version) },
        }),
      ),
    // A published sample never changes: what was read once stands for the visit.
    staleTime: Number.POSITIVE_INFINITY,
  })
}
