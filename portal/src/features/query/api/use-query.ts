import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, ApiError, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type Query = ApiClient['api']['query']
export type ViewInfo = InferResponseType<Query['views']['$get'], 200>['data'][number]
export type HistoryInfo = InferResponseType<Query['history']['$get'], 200>['data'][number]
export interface QueryAnswer {
  id: string
  columns: { name: string; type: string }[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
  views: string[]
}
export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'ndjson'

/** The caller's views and their columns: the editor completes them. */
export function useViews() {
  const api = useApi()
  return useQuery({
    queryKey: ['query', 'views'],
    queryFn: async () => unwrap<ViewInfo[]>(await api.api.query.views.$get()),
  })
}

export function useQueryHistory() {
  const api = useApi()
  return useQuery({
    queryKey: ['query', 'history'],
    queryFn: async () => unwrap<HistoryInfo[]>(await api.api.query.history.$get()),
  })
}

/** Runs SQL for a JSON answer; the id lets the person cancel it while it runs. */
export function useRunQuery() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ sql, id }: { sql: string; id: string }) =>
      unwrap<QueryAnswer>(await api.api.query.$post({ json: { sql, format: 'json', id } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['query', 'history'] }),
  })
}

export function useCancelQuery() {
  const api = useApi()
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap<{ cancelled: boolean }>(await api.api.query[':id'].cancel.$post({ param: { id } })),
  })
}

/** The same SQL as a file the browser saves. */
export async function downloadQuery(api: ApiClient, sql: string, format: FileFormat) {
  const res = await api.api.query.$post({ json: { sql, format } })
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      | { error?: { code: string; message: string } }
      | undefined
    throw new ApiError(
      res.status,
      body?.error?.code ?? 'internal',
      body?.error?.message ?? `HTTP ${res.status}`,
    )
  }
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ??
    `query.${format}`
  const url = URL.createObjectURL(await res.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 1_000)
}
