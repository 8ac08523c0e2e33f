import { Alert, Button, Modal, Stack, Text, Textarea } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { type FormEvent, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { TONE } from '../../../lib/tones.js'
import { useRevokeGrant } from '../api/use-requests.js'
import { DialogActions } from './dialog-actions.js'

const MIN_REASON = 5

/**
 * Ends a grant at once, saying why; the grantee is told. The button opens a dialog that asks for
 * the reason, so access is never ended by a stray click.
 */
export function RevokeGrant({
  grantId,
  grantee,
  onRevoked,
}: {
  grantId: string
  grantee?: string
  /** Told once access has ended, to confirm it where the grant was listed. */
  onRevoked?: () => void
}) {
  const id = useId()
  const revoke = useRevokeGrant()
  const [opened, { open, close }] = useDisclosure(false)
  const [reason, setReason] = useState('')
  const [tried, setTried] = useState(false)
  const error =
    reason.trim().length < MIN_REASON
      ? `Give a reason of at least ${MIN_REASON} characters; the grantee will read it.`
      : undefined

  function send(event: FormEvent) {
    event.preventDefault()
    setTried(true)
    if (error) {
      document.getElementById(`${id}-reason`)?.focus()
      return
    }
    // The promise, not mutate's callbacks: those are dropped once the refreshed list no longer
    // shows this button, and the confirmation must still be said. A failure shows below.
    revoke.mutateAsync({ id: grantId, reason: reason.trim() }).then(
      () => {
        close()
        onRevoked?.()
      },
      () => undefined,
    )
  }

  return (
    <>
      {/* Named after whose access it ends, its visible words first (WCAG 2.5.3). */}
      <Button
        variant="outline"
        color="red.9"
        size="xs"
        onClick={open}
        aria-label={grantee ? `Revoke access of ${grantee}…` : undefined}
      >
        Revoke access…
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title="Revoke access"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        <form onSubmit={send} aria-label="Revoke access" noValidate>
          <Stack gap="md">
            <Text size="sm">
              Access ends at once{grantee ? ` for ${grantee}` : ''}. They are told, with your
              reason.
            </Text>
            <Textarea
              id={`${id}-reason`}
              label="Reason to revoke"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              rows={2}
              required
              withAsterisk={false}
              error={tried && error}
              data-autofocus
            />
            <DialogActions submit="Revoke" danger pending={revoke.isPending} onCancel={close} />
            {revoke.isError && <ErrorState title="Access was not revoked" error={revoke.error} />}
          </Stack>
        </form>
      </Modal>
    </>
  )
}

/** Said where a grant was revoked, once it is: whose access ended, and that they were told. */
export function RevokedNotice({ grantee }: { grantee: string }) {
  return (
    <Alert role="status" color={TONE.good} variant="light" title="Access revoked">
      {grantee} no longer has this access. They have been told, with your reason.
    </Alert>
  )
}
