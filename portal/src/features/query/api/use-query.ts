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
  /** What to know about the grants it read (a row filter that leaves no rows, say). */
  notes: string[]
}
/** An answer run in the workbench, with how long it took to come back. */
export type TimedAnswer = QueryAnswer & { elapsedMs: number }
/** A person's history: the queries they ran, or apart those sent as previews of a sample. */
export type HistoryShown = 'queries' | 'previews'
export type FileFormat = 'csv' | 'parquet' | 'arrow' | 'ndjson'

/** The caller's views and their columns: the editor completes them. */
export function useViews() {
  const api = useApi()
  return useQuery({
    queryKey: ['query', 'views'],
    queryFn: async () => unwrap<ViewInfo[]>(await api.api.query.views.$get()),
  })
}

/** The person's own latest queries (or, apart, the sample previews they were shown). */
export function useQueryHistory(show: HistoryShown = 'queries') {
  const api = useApi()
  return useQuery({
    queryKey: ['query', 'history', show],
    queryFn: async () =>
      unwrap<HistoryInfo[]>(await api.api.query.history.$get({ query: { show } })),
  })
}

/**
 * Runs SQL written in the workbench for a JSON answer, timing it from asking to the whole answer
 * read; the id lets the person cancel it while it runs.
 */
export function useRunQuery() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ sql, id }: { sql: string; id: string }): Promise<TimedAnswer> => {
      const started = performance.now()
      const answer = await unwrap<QueryAnswer>(
        await api.api.query.$post({ json: { sql, format: 'json', id, purpose: 'workbench' } }),
      )
      return { ...answer, elapsedMs: performance.now() - started }
    },
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
  const res = await api.api.query.$post({ json: { sql, format, purpose: 'workbench' } })
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
