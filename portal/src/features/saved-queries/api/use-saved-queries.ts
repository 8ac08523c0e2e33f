import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

type SavedQueriesApi = ApiClient['api']['saved-queries']
export type SavedQueryInfo = InferResponseType<SavedQueriesApi['$get'], 200>['data'][number]
export type ParameterInfo = SavedQueryInfo['parameters'][number]
export type ParameterType = ParameterInfo['type']

/** A saved query to be: what the "Save query" dialog sends. */
export interface NewSavedQuery {
  name: string
  description: string | null
  sql: string
  parameters: { name: string; type: ParameterType; choices: string[] | null }[]
}

/** A saved query's answer, as the query path gives it, with how long it took to come back. */
export interface SavedQueryAnswer {
  id: string
  columns: { name: string; type: string }[]
  rows: unknown[][]
  rowCount: number
  truncated: boolean
  views: string[]
  /** What to know about the grants it read (a row filter that leaves no rows, say). */
  notes: string[]
  elapsedMs: number
}

const KEY = ['saved-queries'] as const

/** The person's own saved queries, the latest changed first. */
export function useSavedQueries() {
  const api = useApi()
  return useQuery({
    queryKey: KEY,
    queryFn: async () => unwrap<SavedQueryInfo[]>(await api.api['saved-queries'].$get()),
  })
}

/** One saved query, whoever saved it: its link is all a person needs to open it. */
export function useSavedQuery(id: string) {
  const api = useApi()
  return useQuery({
    queryKey: [...KEY, id],
    queryFn: async () =>
      unwrap<SavedQueryInfo>(await api.api['saved-queries'][':id'].$get({ param: { id } })),
  })
}

export function useSaveQuery() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (query: NewSavedQuery) =>
      unwrap<SavedQueryInfo>(await api.api['saved-queries'].$post({ json: query })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  })
}

export function useDeleteSavedQuery() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap<{ id: string; deleted: true }>(
        await api.api['saved-queries'][':id'].$delete({ param: { id } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  })
}

/** Runs a saved query with the person's values, as them; the run joins their history. */
export function useRunSavedQuery(id: string) {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (values: Record<string, string>): Promise<SavedQueryAnswer> => {
      const started = performance.now()
      const answer = await unwrap<Omit<SavedQueryAnswer, 'elapsedMs'>>(
        await api.api['saved-queries'][':id'].run.$post({ param: { id }, json: { values } }),
      )
      return { ...answer, elapsedMs: performance.now() - started }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['query', 'history'] }),
  })
}
