import { type FormEvent, useId, useState } from 'react'
import { useNavigate } from 'react-router'
import { focusFirstProblem } from '../../../lib/focus-first-problem.js'
import { useCreateRequest, useRequestStep } from '../api/use-requests.js'
import {
  type AmendedRequest,
  draftOf,
  emptyDraft,
  problemsOf,
  type RequestDraft,
  type RequestedDataset,
  toAmendment,
  toNewRequest,
} from './request-draft.js'

/**
 * A request as it is written and sent: the draft, the problems to show (once the person has
 * tried to send), and `submit`, which takes the keyboard to the first problem or sends the
 * request and opens it. `ids` prefixes the fields' ids, so the first problem can take the focus.
 * With `amending`, the draft starts as that request and `submit` sends only what changed.
 */
export function useRequestDraft(
  dataset: RequestedDataset,
  onDone: () => void,
  amending?: AmendedRequest,
) {
  const ids = useId()
  const create = useCreateRequest()
  const amend = useRequestStep(amending?.id ?? '')
  const navigate = useNavigate()
  const [unchanged, setUnchanged] = useState(false)
  const [draft, setDraft] = useState<RequestDraft>(() =>
    amending ? draftOf(dataset, amending) : emptyDraft(dataset),
  )
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
    // On the promise, not mutate's callbacks: those are dropped when the refreshed page takes
    // the form away (a request sent turns the dataset page's form into its banner).
    if (amending) {
      const changes = toAmendment(dataset, amending, draft)
      setUnchanged(Object.keys(changes).length === 0)
      if (Object.keys(changes).length > 0)
        amend.mutateAsync({ action: 'amend', body: { changes } }).then(onDone, () => undefined)
      return
    }
    create.mutateAsync(toNewRequest(dataset, draft)).then(
      (request) => {
        onDone()
        void navigate(`/requests/${request.id}`)
      },
      () => undefined,
    )
  }

  const sending = amending ? amend : create
  return { ids, draft, set, shown, submit, sending, unchanged }
}
