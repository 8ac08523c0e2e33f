import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferRequestType, InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type Requests = ApiClient['api']['requests']
/** A request as lists show it. */
export type RequestSummary = InferResponseType<Requests['$get'], 200>['data'][number]
/** A request with its history. */
export type RequestDetail = InferResponseType<Requests[':id']['$get'], 200>['data']
export type NewRequest = InferRequestType<Requests['$post']>['json']
export type Approval = InferRequestType<Requests[':id']['approve']['$post']>['json']
export type GrantInfo = InferResponseType<ApiClient['api']['grants']['$get'], 200>['data'][number]
export type StatusFilter = NonNullable<InferRequestType<Requests['$get']>['query']['status']>

export type Amendment = InferRequestType<Requests[':id']['amend']['$post']>['json']

export function useRequests(query: { mine?: boolean; status?: StatusFilter; dataset?: string }) {
  const api = useApi()
  return useQuery({
    queryKey: ['requests', query],
    queryFn: async () =>
      unwrap<RequestSummary[]>(
        await api.api.requests.$get({
          query: {
            ...(query.mine && { mine: 'true' as const }),
            ...(query.status && { status: query.status }),
            ...(query.dataset && { dataset: query.dataset }),
          },
        }),
      ),
  })
}

export function useRequest(id: string) {
  const api = useApi()
  return useQuery({
    queryKey: ['requests', id],
    queryFn: async () =>
      unwrap<RequestDetail>(await api.api.requests[':id'].$get({ param: { id } })),
  })
}

/** Everything a step changes: the request, the lists, grants, inbox and entitlements. */
function useRefresh() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all(
      ['requests', 'grants', 'notifications'].map((key) =>
        queryClient.invalidateQueries({ queryKey: [key] }),
      ),
    )
}

export function useCreateRequest() {
  const api = useApi()
  const refresh = useRefresh()
  return useMutation({
    mutationFn: async (request: NewRequest) =>
      unwrap<RequestDetail>(await api.api.requests.$post({ json: request })),
    onSuccess: refresh,
  })
}

/** One step of the workflow on request `id`; the server decides whether the caller may take it. */
export function useRequestStep(id: string) {
  const api = useApi()
  const refresh = useRefresh()
  const step = api.api.requests[':id']
  const param = { id }
  return useMutation({
    mutationFn: async (
      input:
        | { action: 'approve'; body: Approval }
        | { action: 'reject'; body: { reason: string } }
        | { action: 'ask-info'; body: { question: string } }
        | { action: 'resubmit'; body: { answer: string } }
        | { action: 'amend'; body: Amendment }
        | { action: 'withdraw'; body: { reason?: string } },
    ) => {
      const res =
        input.action === 'approve'
          ? await step.approve.$post({ param, json: input.body })
          : input.action === 'reject'
            ? await step.reject.$post({ param, json: input.body })
            : input.action === 'ask-info'
              ? await step['ask-info'].$post({ param, json: input.body })
              : input.action === 'resubmit'
                ? await step.resubmit.$post({ param, json: input.body })
                : input.action === 'amend'
                  ? await step.amend.$post({ param, json: input.body })
                  : await step.withdraw.$post({ param, json: input.body })
      return unwrap<RequestDetail>(res)
    },
    onSuccess: refresh,
  })
}

export function useGrants(dataset: string, enabled: boolean) {
  const api = useApi()
  return useQuery({
    queryKey: ['grants', dataset],
    queryFn: async () => unwrap<GrantInfo[]>(await api.api.grants.$get({ query: { dataset } })),
    enabled,
  })
}

export function useRevokeGrant() {
  const api = useApi()
  const refresh = useRefresh()
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap<GrantInfo>(
        await api.api.grants[':id'].revoke.$post({ param: { id }, json: { reason } }),
      ),
    onSuccess: refresh,
  })
}

/** The column names of a dataset, for approving a request that asked for all of them. */
export function useDatasetColumns(slug: string, enabled: boolean) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug, 'columns'],
    queryFn: async () =>
      (
        await unwrap<{ columns: { name: string }[] }>(
          await api.api.datasets[':id'].$get({ param: { id: slug } }),
        )
      ).columns.map((c) => c.name),
    enabled,
  })
}

type DatasetDetail = InferResponseType<ApiClient['api']['datasets'][':id']['$get'], 200>['data']

/** A dataset with its classification and columns, as a request form shows it. */
export function useRequestedDataset(slug: string, enabled: boolean) {
  const api = useApi()
  return useQuery({
    queryKey: ['datasets', slug],
    queryFn: async () =>
      unwrap<DatasetDetail>(await api.api.datasets[':id'].$get({ param: { id: slug } })),
    enabled,
  })
}
