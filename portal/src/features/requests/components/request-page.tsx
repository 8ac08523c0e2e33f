import {
  Alert,
  Anchor,
  Box,
  Breadcrumbs,
  DataList,
  Group,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { GrantTerms } from '../../../components/ui/grant-terms.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatDay } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import { type RequestDetail, useRequest } from '../api/use-requests.js'
import { AmendRequest } from './amend-request.js'
import { RequestHistory } from './request-history.js'
import { RequestSteps } from './request-steps.js'
import { RevokedNotice, RevokeGrant } from './revoke-grant.js'
import { ServiceLevelBadge, StatusBadge } from './service-level-badge.js'

/** One request: what was asked and why, its clock and history, and the steps the reader may take. */
export function RequestPage() {
  const { id = '' } = useParams()
  const request = useRequest(id)
  const me = useMe()
  const [revoked, setRevoked] = useState(false)
  if (request.isPending) return <Loading label="Loading the request…" />
  if (request.isError)
    return (
      <ErrorState
        title="This request could not be shown"
        error={request.error}
        action={
          <Anchor component={Link} to="/requests">
            Back to data requests
          </Anchor>
        }
      />
    )
  const r = request.data
  const steward =
    me.data?.user.roles.includes('steward') && me.data.user.agency.code === r.dataset.agency
  return (
    <Box component="article" aria-labelledby="request-heading">
      <Stack gap="lg">
        <Stack gap="xs">
          <Box component="nav" aria-label="Breadcrumb">
            <Breadcrumbs separator="/">
              <Anchor component={Link} to="/requests">
                Data requests
              </Anchor>
              <Text span aria-current="page">
                {r.id}
              </Text>
            </Breadcrumbs>
          </Box>
          <Title order={1} id="request-heading" tabIndex={-1}>
            Request for {r.dataset.title}
          </Title>
          <Group gap="xs" wrap="wrap" role="group" aria-label="Where this request stands">
            <StatusBadge status={r.status} />
            <ServiceLevelBadge level={r.serviceLevel} />
          </Group>
        </Stack>

        <Paper withBorder p="md">
          <RequestFacts request={r} />
        </Paper>

        <Box component="section" aria-labelledby="purpose-heading">
          <Title order={2} id="purpose-heading" mb="xs">
            Purpose
          </Title>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{r.purpose}</Text>
        </Box>

        {r.question && r.state === 'needs-info' && (
          <Alert role="note" variant="light" color="govBlue" title="The steward asks">
            {r.question}
          </Alert>
        )}
        {r.decisionReason && (
          <Alert role="note" variant="light" color="gray" title="Reason given">
            {r.decisionReason}
          </Alert>
        )}

        {r.grant && (
          <Paper withBorder p="md" component="section" aria-labelledby="grant-heading">
            <Stack gap="xs">
              <Title order={2} id="grant-heading">
                {GRANT_HEADINGS[r.grant.status]}
              </Title>
              <Text>
                {r.grant.scope === 'aggregates'
                  ? 'Aggregates only: answers of aggregate queries in the workbench, each checked before it is released. No record is shown.'
                  : 'The data, row by row.'}
              </Text>
              <GrantTerms
                columns={r.grant.columns}
                rowFilter={r.grant.rowFilter}
                inClear={r.grant.inClear}
                expiresAt={r.grant.expiresAt}
                status={r.grant.status}
                revoked={r.grant.revoked}
              />
              <Text size="sm" c="dimmed">
                Approved by {r.grant.grantedBy.join(' and ')} on {formatDay(r.grant.grantedAt)}.
              </Text>
              {steward && r.grant.status === 'active' && (
                <Group>
                  <RevokeGrant grantId={r.grant.id} onRevoked={() => setRevoked(true)} />
                </Group>
              )}
              {revoked && <RevokedNotice grantee={r.requester.username} />}
            </Stack>
          </Paper>
        )}

        {r.allowedActions.includes('amend') && <AmendRequest request={r} />}
        <RequestSteps request={r} />
        <RequestHistory history={r.history ?? []} />
      </Stack>
    </Box>
  )
}

/** What was asked: the facts a steward weighs, as a description list. */
function RequestFacts({ request: r }: { request: RequestDetail }) {
  const facts: [string, React.ReactNode][] = [
    [
      'Dataset',
      <>
        <Anchor component={Link} to={`/datasets/${r.dataset.slug}`}>
          {r.dataset.slug}
        </Anchor>{' '}
        ({r.dataset.agency})
      </>,
    ],
    [
      'Asked for',
      r.scope === 'aggregates'
        ? 'Aggregates only: answers of aggregate queries, each checked before it leaves'
        : 'The data, row by row',
    ],
    ['Requester', `${r.requester.username} (${r.requester.agency})`],
    ['Sent on', formatDateTime(r.submittedAt)],
    ['Columns', r.columns ? r.columns.join(', ') : 'All columns'],
    ['Duration', `${r.durationDays} days`],
    ['Legal basis', r.legalBasis],
    [
      'Project',
      `${
        r.project
          ? `${r.project.name}${r.project.partnerAgencies.length ? ` with ${r.project.partnerAgencies.join(', ')}` : ''}`
          : 'None named'
      }${r.crossAgency ? ' · cross-agency' : ''}`,
    ],
    [
      'Approvals',
      `${r.approvals.length} of ${r.approvalsNeeded}${
        r.approvals.length > 0 ? ` (${r.approvals.map((a) => a.steward).join(', ')})` : ''
      }`,
    ],
  ]
  return (
    <DataList labelWidth="8rem">
      {facts.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  )
}

const GRANT_HEADINGS = {
  active: 'Access granted',
  expired: 'Access ended',
  revoked: 'Access revoked',
} as const
