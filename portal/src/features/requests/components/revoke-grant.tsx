import { type FormEvent, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { useRevokeGrant } from '../api/use-requests.js'

/** Ends a grant at once, saying why; the grantee is told. */
export function RevokeGrant({ grantId }: { grantId: string }) {
  const id = useId()
  const revoke = useRevokeGrant()
  const [reason, setReason] = useState('')
  function send(event: FormEvent) {
    event.preventDefault()
    revoke.mutate({ id: grantId, reason: reason.trim() })
  }
  return (
    <form onSubmit={send} aria-label="Revoke access" className="inline-form">
      <label htmlFor={id}>Reason to revoke</label>
      <input
        id={id}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        required
        minLength={5}
      />
      <button type="submit" className="secondary" disabled={revoke.isPending}>
        Revoke
      </button>
      {revoke.isError && <ErrorState title="Not revoked" error={revoke.error} />}
    </form>
  )
}
