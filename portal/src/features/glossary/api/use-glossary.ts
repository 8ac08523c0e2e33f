import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { InferResponseType } from 'hono/client'
import { type ApiClient, unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export type GlossaryEntryInfo = InferResponseType<
  ApiClient['api']['glossary']['$get'],
  200
>['data'][number]

export function useGlossary() {
  const api = useApi()
  return useQuery({
    queryKey: ['glossary'],
    queryFn: async () => unwrap<GlossaryEntryInfo[]>(await api.api.glossary.$get()),
  })
}

export interface TermInput {
  term: string
  definition: string
  /** Other words for it; search finds its columns by them too. */
  synonyms: string[]
  /** Short forms, e.g. NRIC and FIN for NRIC/FIN. */
  abbreviations: string[]
}

/** A steward or administrator defines a term; the server checks they may. */
export function useDefineTerm() {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (term: TermInput) =>
      unwrap<TermInput>(await api.api.glossary.$post({ json: term })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['glossary'] }),
  })
}

/** Redefines or renames the term `name`; only what changed is sent. */
export function useRedefineTerm(name: string) {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (patch: Partial<TermInput>) =>
      unwrap<{ after: TermInput }>(
        await api.api.glossary[':term'].$patch({ param: { term: name }, json: patch }),
      ),
    // A rename changes what datasets are found by, and their pages' glossary links.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['glossary'] }),
        queryClient.invalidateQueries({ queryKey: ['datasets'] }),
      ]),
  })
}
