import { type FormEvent, useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import { useCreateRequest } from '../api/use-requests.js'
import {
  emptyDraft,
  problemsOf,
  type RequestDraft,
  type RequestedDataset,
  toNewRequest,
} from './request-draft.js'

/**
 * A request as it is written and sent: the draft, the problems to show (once the person has
 * tried to send), and `submit`, which takes the keyboard to the first problem or sends the
 * request and opens it. `ids` prefixes the fields' ids, so the first problem can take the focus.
 */
export function useRequestDraft(dataset: RequestedDataset, onDone: () => void) {
  const ids = useId()
  const create = useCreateRequest()
  const navigate = useNavigate()
  const [draft, setDraft] = useState<RequestDraft>(() => emptyDraft(dataset))
  // Problems show once the person has tried to send, then update as they type.
  const [tried, setTried] = useState(false)
  const problems = problemsOf(draft)
  const shown = tried ? problems : {}
  const set = <K extends keyof RequestDraft>(key: K, value: RequestDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    setTried(true)
    if (focusFirstProblem(ids, problems)) return
    create.mutate(toNewRequest(dataset, draft), {
      onSuccess: (request) => {
        onDone()
        void navigate(`/requests/${request.id}`)
      },
    })
  }

  return { ids, draft, set, shown, submit, create }
}
