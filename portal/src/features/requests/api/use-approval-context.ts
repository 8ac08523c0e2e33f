import { useQuery } from '@tanstack/react-query'
import type { PersonalDataKind } from '../../../components/ui/personal-data-badge.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'
import type { RequestSummary } from './use-requests.js'

/** A column of the dataset as the requester saw it on the form: its name and what it holds. */
export interface SchemaColumn {
  name: string
  personalData: PersonalDataKind
}

/** The dataset's columns, each with its personal-data kind, in order. */
export function useDatasetSchema(slug: string) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'schema'],
    queryFn: async () =>
      (
        await unwrap<{ columns: SchemaColumn[] }>(
          await api.api.datasets[':id'].$get({ param: { id: slug } }),
        )
      ).columns.map((c) => ({ name: c.name, personalData: c.personalData })),
  })
}

/**
 * The requester's other requests on the agency's datasets, newest first, with their outcomes and
 * grants: what a steward weighs before approving. The API shows a steward only their agency's.
 */
export function useRequesterHistory(request: {
  id: string
  requester: { username: string }
  dataset: { agency: string }
}) {
  const api = useApi()
  const { username } = request.requester
  return useQuery({
    queryKey: ['requests', 'history', username, request.dataset.agency],
    queryFn: async () =>
      (
        await unwrap<RequestSummary[]>(
          await api.api.requests.$get({
            query: { requester: username, agency: request.dataset.agency },
          }),
        )
      )
        // The filter matches part of a username: keep this requester's alone.
        .filter((r) => r.requester.username === username && r.id !== request.id),
  })
}
