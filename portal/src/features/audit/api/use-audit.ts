import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type AuditEntryInfo = InferResponseType<
  ApiClient['api']['audit']['$get'],
  200
>['data'][number]
type Verification = InferResponseType<ApiClient['api']['audit']['verify']['$get'], 200>['data']

const PAGE = 50

/** The audit trail, newest first, a page at a time. */
export function useAuditEntries() {
  const api = useApi()
  return useInfiniteQuery({
    queryKey: ['audit', 'entries'],
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap<AuditEntryInfo[]>(
        await api.api.audit.$get({
          query: { limit: String(PAGE), ...(pageParam ? { before: String(pageParam) } : {}) },
        } as never),
      ),
    getNextPageParam: (last) => (last.length === PAGE ? last.at(-1)?.seq : undefined),
  })
}

export function useAuditVerification() {
  const api = useApi()
  return useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: async () => unwrap<Verification>(await api.api.audit.verify.$get()),
  })
}
