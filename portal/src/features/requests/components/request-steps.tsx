import { Box, Button, Group, Modal, Stack, Text, Textarea, Title } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react'
import { ErrorState } from '../../../components/ui/page-state.js'
import { type RequestDetail, useRequestStep } from '../api/use-requests.js'
import { ApproveForm } from './approve-form.js'
import { DialogActions } from './dialog-actions.js'

/**
 * The steps the API says this reader may take now. Each opens a dialog holding its form, so a
 * decision is always one deliberate act: open, fill in, confirm.
 */
export function RequestSteps({ request }: { request: RequestDetail }) {
  const allowed = new Set(request.allowedActions)
  if (allowed.size === 0) return null
  return (
    <Box component="section" aria-labelledby="steps-heading">
      <Title order={2} id="steps-heading" mb="xs">
        What you can do
      </Title>
      <Group gap="sm" wrap="wrap">
        {allowed.has('approve') && (
          <StepDialog opener="Approve…" title="Approve this request" size="lg">
            {(close) => <ApproveForm request={request} onDone={close} />}
          </StepDialog>
        )}
        {allowed.has('resubmit') && (
          <StepDialog opener="Answer the steward…" title="Answer the steward">
            {(close) => <TextStep request={request} action="resubmit" onDone={close} />}
          </StepDialog>
        )}
        {allowed.has('ask-info') && (
          <StepDialog opener="Ask for information…" title="Ask the requester" variant="default">
            {(close) => <TextStep request={request} action="ask-info" onDone={close} />}
          </StepDialog>
        )}
        {allowed.has('reject') && (
          <StepDialog opener="Reject…" title="Reject this request" variant="outline" danger>
            {(close) => <TextStep request={request} action="reject" onDone={close} />}
          </StepDialog>
        )}
        {allowed.has('withdraw') && (
          <StepDialog
            opener="Withdraw request…"
            title="Withdraw this request"
            variant="outline"
            danger
          >
            {(close) => <WithdrawForm request={request} onDone={close} />}
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
}: {
  request: RequestDetail
  action: keyof typeof TEXT_STEPS
  onDone: () => void
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
    const done = { onSuccess: onDone }
    if (action === 'reject') step.mutate({ action, body: { reason: value } }, done)
    else if (action === 'ask-info') step.mutate({ action, body: { question: value } }, done)
    else step.mutate({ action, body: { answer: value } }, done)
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

function WithdrawForm({ request, onDone }: { request: RequestDetail; onDone: () => void }) {
  const step = useRequestStep(request.id)
  const [reason, setReason] = useState('')
  function send(event: FormEvent) {
    event.preventDefault()
    const text = reason.trim()
    step.mutate({ action: 'withdraw', body: text ? { reason: text } : {} }, { onSuccess: onDone })
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
