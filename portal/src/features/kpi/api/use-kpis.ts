import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

/** The list's JSON answer (the same route answers CSV when asked). */
export type KpiList = Extract<
  InferResponseType<ApiClient['api']['kpis']['$get'], 200>,
  { ok: true }
>['data']
export type KpiSummary = KpiList['kpis'][number]
export type KpiDetail = InferResponseType<ApiClient['api']['kpis'][':number']['$get'], 200>['data']
export type KpiPeriod = KpiSummary['periods'][number]
export type CountedRequests = InferResponseType<
  ApiClient['api']['kpis'][':number']['requests']['$get'],
  200
>['data']

/** The 15 KPIs with their latest value, status and trend. */
export function useKpis() {
  const api = useApi()
  return useQuery({
    queryKey: ['kpis'],
    queryFn: async () => unwrap<KpiList>(await api.api.kpis.$get({ query: {} })),
  })
}

/** One KPI: history, breakdowns the caller may see, provenance. */
export function useKpi(number: number) {
  const api = useApi()
  return useQuery({
    queryKey: ['kpis', number],
    queryFn: async () =>
      unwrap<KpiDetail>(await api.api.kpis[':number'].$get({ param: { number: String(number) } })),
  })
}

/** The requests a sharing KPI (12 or 14) counts in a period, or every period (null). */
export function useCountedRequests(number: number, period: string | null, enabled: boolean) {
  const api = useApi()
  return useQuery({
    queryKey: ['kpis', number, 'requests', period],
    enabled,
    queryFn: async () =>
      unwrap<CountedRequests>(
        await api.api.kpis[':number'].requests.$get({
          param: { number: String(number) },
          query: period ? { period } : {},
        }),
      ),
  })
}

/** Recomputes every KPI now (stewards and administrators); the server checks who may. */
export function useRecomputeKpis() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api.api.kpis.recompute.$post()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['kpis'] }),
  })
}
