import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core'
import { type ReactNode, useState } from 'react'
import { Link } from 'react-router'
import { GrantTerms } from '../../../components/ui/grant-terms.js'
import { formatDay } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import { type RequestSummary, useRequests } from '../api/use-requests.js'
import type { RequestedDataset } from './request-draft.js'
import { RequestForm } from './request-form.js'

/** What the caller has on the dataset: a request waiting, access held, or access ended. */
export interface MyAccess {
  pending: RequestSummary | undefined
  held: RequestSummary | undefined
  /** The latest grant that was revoked or ran out, when nothing waits or is held. */
  ended: RequestSummary | undefined
}

/** The caller's requests for one dataset (newest first), read as what they have on it. */
export function myAccessOf(requests: readonly RequestSummary[]): MyAccess {
  const pending = requests.find((r) => r.status === 'submitted' || r.status === 'needs-info')
  const held = requests.find((r) => r.status === 'active')
  const ended =
    pending || held
      ? undefined
      : requests.find((r) => r.status === 'revoked' || r.status === 'expired')
  return { pending, held, ended }
}

/**
 * On a dataset's page, what the caller has on it before any form: a request waiting for the
 * stewards, access held with its terms, or access revoked or ended, each with its request. The
 * form to ask opens only when no request waits.
 */
export function DatasetRequestAccess({ dataset }: { dataset: RequestedDataset }) {
  const mine = useRequests({ mine: true, dataset: dataset.slug })
  const [asking, setAsking] = useState(false)
  if (mine.isPending) return null
  const { pending, held, ended } = myAccessOf(mine.data ?? [])
  const ask = (label: string, main: boolean) =>
    !asking && (
      <Button type="button" variant={main ? 'filled' : 'default'} onClick={() => setAsking(true)}>
        {label}
      </Button>
    )
  return (
    <Stack gap="sm">
      {pending && <PendingBanner request={pending} />}
      {held && <HeldBanner request={held} columnCount={dataset.columns.length} />}
      {ended && <EndedBanner request={ended} />}
      {!pending && (
        <Group gap="sm">{ask(held ? 'Ask for different access' : 'Request access', !held)}</Group>
      )}
      {asking && !pending && <RequestForm dataset={dataset} onDone={() => setAsking(false)} />}
    </Stack>
  )
}

function Banner({
  title,
  children,
  tone = 'govBlue',
}: {
  title: string
  children: ReactNode
  tone?: string
}) {
  return (
    <Alert role="status" variant="light" color={tone} title={title}>
      <Stack gap="xs">{children}</Stack>
    </Alert>
  )
}

const OpenRequest = ({ id, label }: { id: string; label: string }) => (
  <Anchor component={Link} to={`/requests/${id}`}>
    {label}
  </Anchor>
)

function PendingBanner({ request: r }: { request: RequestSummary }) {
  const sent = `sent ${formatDay(r.submittedAt)}`
  const clock = r.serviceLevel
  const awaitingSecond = r.status === 'submitted' && r.approvals.length > 0
  const where =
    r.status === 'needs-info'
      ? `Your request is waiting for your answer (${sent}): a steward asked for information.`
      : awaitingSecond
        ? `Your request has one of its ${r.approvalsNeeded} approvals (${sent}): a second steward must approve.`
        : `Your request is with the stewards (${sent}, working day ${clock.workingDays} of ${clock.limit}).`
  return (
    <Banner title="You have asked for this dataset">
      <Text>{where}</Text>
      <Group gap="md">
        <OpenRequest id={r.id} label="Open your request" />
        <Text size="sm" c="dimmed">
          You can amend it there while it waits, or withdraw it.
        </Text>
      </Group>
    </Banner>
  )
}

function HeldBanner({ request: r, columnCount }: { request: RequestSummary; columnCount: number }) {
  const g = r.grant
  if (!g) return null
  return (
    <Banner title={`You hold access until ${formatDay(g.expiresAt)}`} tone={TONE.good}>
      <GrantTerms
        columns={g.columns}
        columnCount={columnCount}
        rowFilter={g.rowFilter}
        inClear={g.inClear}
        expiresAt={g.expiresAt}
        status={g.status}
      />
      <Group gap="md">
        <Anchor component={Link} to="/query">
          Query it in the workbench
        </Anchor>
        <OpenRequest id={r.id} label="Open the request" />
      </Group>
    </Banner>
  )
}

function EndedBanner({ request: r }: { request: RequestSummary }) {
  const g = r.grant
  if (!g) return null
  const title = g.revoked
    ? `Your access was revoked on ${formatDay(g.revoked.at)} by ${g.revoked.by}`
    : `Your access ended on ${formatDay(g.expiresAt)}`
  return (
    <Banner title={title} tone="gray">
      {g.revoked && <Text>Reason: {g.revoked.reason}</Text>}
      <OpenRequest id={r.id} label="Open the request" />
    </Banner>
  )
}
