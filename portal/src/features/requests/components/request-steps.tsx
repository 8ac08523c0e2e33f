import { Alert, Box, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { formatDay, formatQuantity } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import { type RequestDetail, useRequestStep } from '../api/use-requests.js'
import { ApproveForm } from './approve-form.js'
import { DialogActions } from './dialog-actions.js'

type RequestAction = RequestDetail['allowedActions'][number]

/** What a step did, said once it is done (read out by screen readers as a status). */
function confirmationOf(action: RequestAction, r: RequestDetail): string {
  const who = r.requester.username
  switch (action) {
    case 'approve':
      return r.status === 'active' && r.grant
        ? `Approved: ${who} can read ${r.dataset.title} until ${formatDay(r.grant.expiresAt)}. They have been told.`
        : `Your approval is recorded: access is granted after ${formatQuantity(r.approvalsNeeded - r.approvals.length, 'more approval')} by another steward.`
    case 'reject':
      return `Rejected: ${who} has been told, with your reason.`
    case 'ask-info':
      return `Question sent to ${who}: the clock is paused until they answer.`
    case 'resubmit':
      return 'Answer sent: the steward has it and the clock runs again.'
    case 'withdraw':
      return 'Request withdrawn: the stewards have been told.'
    default:
      return 'Done: the request is up to date.'
  }
}

/**
 * The steps the API says this reader may take now. Each opens a dialog holding its form, so a
 * decision is always one deliberate act: open, fill in, confirm; once taken, it is confirmed here.
 */
export function RequestSteps({ request }: { request: RequestDetail }) {
  const [confirmation, setConfirmation] = useState<string | undefined>()
  const allowed = new Set(request.allowedActions)
  const done = (action: RequestAction, close: () => void) => (r: RequestDetail) => {
    close()
    setConfirmation(confirmationOf(action, r))
  }
  const confirmed = confirmation && (
    <Alert role="status" color={TONE.good} variant="light" title="Done" mb="sm">
      {confirmation}
    </Alert>
  )
  if (allowed.size === 0) return confirmed || null
  return (
    <Box component="section" aria-labelledby="steps-heading">
      {confirmed}
      <Title order={2} id="steps-heading" mb="xs">
        What you can do
      </Title>
      <Group gap="sm" wrap="wrap">
        {allowed.has('approve') && (
          <StepDialog opener="Approve…" title="Approve this request" size="lg">
            {(close) => (
              <ApproveForm request={request} onDone={close} onApproved={done('approve', close)} />
            )}
          </StepDialog>
        )}
        {allowed.has('resubmit') && (
          <StepDialog opener="Answer the steward…" title="Answer the steward">
            {(close) => (
              <TextStep
                request={request}
                action="resubmit"
                onDone={close}
                onTaken={done('resubmit', close)}
              />
            )}
          </StepDialog>
        )}
        {allowed.has('ask-info') && (
          <StepDialog opener="Ask for information…" title="Ask the requester" variant="default">
            {(close) => (
              <TextStep
                request={request}
                action="ask-info"
                onDone={close}
                onTaken={done('ask-info', close)}
              />
            )}
          </StepDialog>
        )}
        {allowed.has('reject') && (
          <StepDialog opener="Reject…" title="Reject this request" variant="outline" danger>
            {(close) => (
              <TextStep
                request={request}
                action="reject"
                onDone={close}
                onTaken={done('reject', close)}
              />
            )}
          </StepDialog>
        )}
        {allowed.has('withdraw') && (
          <StepDialog
            opener="Withdraw request…"
            title="Withdraw this request"
            variant="outline"
            danger
          >
            {(close) => (
              <WithdrawForm request={request} onDone={close} onTaken={done('withdraw', close)} />
            )}
          </StepDialog>
        )}
      </Group>
    </Box>
  )
}

/** A button that opens a dialog; the dialog traps focus, closes on Escape and returns focus. */
function StepDialog({
  opener,
  title,
  variant = 'filled',
  danger = false,
  size = 'md',
  children,
}: {
  opener: string
  title: string
  variant?: 'filled' | 'default' | 'outline'
  danger?: boolean
  size?: 'md' | 'lg'
  children: (close: () => void) => ReactNode
}) {
  const [opened, { open, close }] = useDisclosure(false)
  // Once a step is taken, this button goes with the step, and the focus with it: the keyboard
  // goes to the request's heading, from where the new state reads on, not to the top of the page.
  useEffect(
    () => () => {
      if (!document.activeElement || document.activeElement === document.body)
        document.getElementById('request-heading')?.focus()
    },
    [],
  )
  return (
    <>
      <Button variant={variant} color={danger ? 'red.9' : undefined} onClick={open}>
        {opener}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={title}
        size={size}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {children(close)}
      </Modal>
    </>
  )
}

/** The words of each text step: the form's name, its field, what it needs, its button. */
const TEXT_STEPS = {
  reject: {
    form: 'Reject',
    field: 'Reason',
    help: 'The requester reads this: say why, and what would change your decision.',
    min: 5,
    submit: 'Reject',
  },
  'ask-info': {
    form: 'Ask for information',
    field: 'Question',
    help: 'The clock pauses until the requester answers.',
    min: 5,
    submit: 'Ask the requester',
  },
  resubmit: {
    form: 'Answer the steward',
    field: 'Answer',
    help: 'Your answer goes back to the steward and the clock starts again.',
    min: 2,
    submit: 'Send answer',
  },
} as const

function TextStep({
  request,
  action,
  onDone,
  onTaken,
}: {
  request: RequestDetail
  action: keyof typeof TEXT_STEPS
  onDone: () => void
  onTaken: (r: RequestDetail) => void
}) {
  const id = useId()
  const step = useRequestStep(request.id)
  const words = TEXT_STEPS[action]
  const [text, setText] = useState('')
  const [tried, setTried] = useState(false)
  const value = text.trim()
  const problem =
    value.length < words.min
      ? `Write at least ${words.min} characters (${value.length} so far).`
      : undefined

  function send(event: FormEvent) {
    event.preventDefault()
    setTried(true)
    if (problem) {
      document.getElementById(id)?.focus()
      return
    }
    // The promise, not mutate's callbacks: those are dropped once the step's dialog goes.
    const taken =
      action === 'reject'
        ? step.mutateAsync({ action, body: { reason: value } })
        : action === 'ask-info'
          ? step.mutateAsync({ action, body: { question: value } })
          : step.mutateAsync({ action, body: { answer: value } })
    taken.then(onTaken, () => undefined)
  }
  return (
    <form onSubmit={send} aria-label={words.form} noValidate>
      <Stack gap="md">
        {action === 'resubmit' && request.question && (
          <Text>
            <strong>The steward asks:</strong> {request.question}
          </Text>
        )}
        <Textarea
          id={id}
          label={words.field}
          description={words.help}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          rows={3}
          maxLength={2000}
          required
          withAsterisk={false}
          error={tried && problem}
          data-autofocus
        />
        <DialogActions
          submit={words.submit}
          danger={action === 'reject'}
          pending={step.isPending}
          onCancel={onDone}
        />
        {step.isError && <ErrorState title="That did not go through" error={step.error} />}
      </Stack>
    </form>
  )
}

function WithdrawForm({
  request,
  onDone,
  onTaken,
}: {
  request: RequestDetail
  onDone: () => void
  onTaken: (r: RequestDetail) => void
}) {
  const step = useRequestStep(request.id)
  const [reason, setReason] = useState('')
  function send(event: FormEvent) {
    event.preventDefault()
    const text = reason.trim()
    step
      .mutateAsync({ action: 'withdraw', body: text ? { reason: text } : {} })
      .then(onTaken, () => undefined)
  }
  return (
    <form onSubmit={send} aria-label="Withdraw" noValidate>
      <Stack gap="md">
        <Text>
          No longer needed? Withdrawing closes the request and tells the stewards. You can ask again
          later.
        </Text>
        <Textarea
          label="Reason (optional)"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          rows={2}
          maxLength={2000}
          data-autofocus
        />
        <DialogActions
          submit="Withdraw request"
          danger
          pending={step.isPending}
          onCancel={onDone}
        />
        {step.isError && <ErrorState title="The request was not withdrawn" error={step.error} />}
      </Stack>
    </form>
  )
}
