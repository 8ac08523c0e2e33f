import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { PersonalDataKind } from '../../../components/ui/personal-data-badge.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'

export interface DatasetEdit {
  description?: string
  tags?: string[]
  columns?: {
    name: string
    description?: string
    glossary?: string[]
    /** A steward's label of what the column holds about people, with why; samples follow it. */
    personalData?: { kind: PersonalDataKind; reason: string }
  }[]
}

/** A steward's edit of a dataset's metadata; the server checks they may make it. */
export function useEditDataset(slug: string) {
  const api = useApi()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (edit: DatasetEdit) =>
      unwrap<{ changes: { field: string }[] }>(
        await api.api.datasets[':id'].$patch({ param: { id: slug }, json: edit }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['datasets'] }),
  })
}
