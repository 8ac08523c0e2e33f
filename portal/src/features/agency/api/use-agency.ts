import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { InferRequestType, InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type Requests = ApiClient['api']['requests']
type Grants = ApiClient['api']['grants']
/** A request as the agency lists show it. */
export type AgencyRequest = InferResponseType<Requests['$get'], 200>['data'][number]
/** A grant with its terms, end and usage. */
export type AgencyGrant = InferResponseType<Grants['$get'], 200>['data'][number]
export type RequestStatusFilter = NonNullable<InferRequestType<Requests['$get']>['query']['status']>
export type GrantStatusFilter = NonNullable<InferRequestType<Grants['$get']>['query']['status']>

/** The most a list answers with at once (core/list-page.ts): more means "narrow it down". */
export const LIST_LIMIT = 1_000

export interface RequestFilters {
  /** Only this agency's datasets; every agency (an administrator's) when absent. */
  agency?: string
  status?: RequestStatusFilter
  dataset?: string
  requester?: string
}

export interface GrantFilters {
  agency?: string
  status?: GrantStatusFilter
  grantee?: string
  expiringWithinDays?: number
}

const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined)

/**
 * Requests on the agency's datasets, in any state, newest first. Keyed under `requests`, so every
 * step taken anywhere refreshes it.
 */
export function useAgencyRequests(filters: RequestFilters, enabled = true) {
  const api = useApi()
  return useQuery({
    queryKey: ['requests', 'agency', filters],
    queryFn: async () => {
      const query = {
        ...(filters.agency && { agency: filters.agency }),
        ...(filters.status && { status: filters.status }),
        ...(text(filters.dataset) && { dataset: text(filters.dataset) }),
        ...(text(filters.requester) && { requester: text(filters.requester) }),
      }
      return unwrap<AgencyRequest[]>(await api.api.requests.$get({ query }))
    },
    // A change of filters keeps the list in place until the new one arrives.
    placeholderData: keepPreviousData,
    enabled,
  })
}

/** Grants on the agency's datasets with their usage; keyed under `grants` (a revoke refreshes it). */
export function useAgencyGrants(filters: GrantFilters, enabled = true) {
  const api = useApi()
  return useQuery({
    queryKey: ['grants', 'agency', filters],
    queryFn: async () => {
      const query = {
        ...(filters.agency && { agency: filters.agency }),
        ...(filters.status && { status: filters.status }),
        ...(text(filters.grantee) && { grantee: text(filters.grantee) }),
        ...(filters.expiringWithinDays && {
          expiringWithinDays: String(filters.expiringWithinDays),
        }),
      }
      return unwrap<AgencyGrant[]>(await api.api.grants.$get({ query }))
    },
    // A change of filters keeps the list in place until the new one arrives.
    placeholderData: keepPreviousData,
    enabled,
  })
}
