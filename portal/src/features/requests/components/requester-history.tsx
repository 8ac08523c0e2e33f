import { Anchor, Box, Group, List, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { describeRowFilter } from '../../../components/ui/describe-row-filter.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDay, formatQuantity } from '../../../lib/format.js'
import { useRequesterHistory } from '../api/use-approval-context.js'
import type { RequestDetail, RequestSummary } from '../api/use-requests.js'
import { StatusBadge } from './service-level-badge.js'

/** The latest requests shown; the count of the others follows. */
const SHOWN = 8

/** What came of a past request, in a line: when, the grant's terms and end, its use. */
function outcome(r: RequestSummary): string {
  const parts = [`asked ${formatDay(r.submittedAt)}`]
  if (r.decidedAt) parts.push(`decided ${formatDay(r.decidedAt)}`)
  const g = r.grant
  if (g) {
    const rows = describeRowFilter(g.rowFilter)
    if (rows) parts.push(`rows where ${rows}`)
    parts.push(
      g.revoked
        ? `revoked ${formatDay(g.revoked.at)}: ${g.revoked.reason}`
        : `${g.status === 'expired' ? 'ended' : 'until'} ${formatDay(g.expiresAt)}`,
    )
    parts.push(
      g.usage.lastUsedAt
        ? `${formatQuantity(g.usage.queries, 'query', 'queries')} and ${formatQuantity(g.usage.downloads, 'download')}`
        : 'not used',
    )
  } else if (r.decisionReason) parts.push(`reason: ${r.decisionReason}`)
  return parts.join('; ')
}

/**
 * The requester's other requests on this agency's datasets, newest first, with what came of each
 * (grants, their ends and use): what a steward weighs before approving.
 */
export function RequesterHistory({ request }: { request: RequestDetail }) {
  const history = useRequesterHistory(request)
  const who = request.requester.username
  return (
    <Box component="section" aria-labelledby="requester-history-heading">
      <Title order={3} size="h5" id="requester-history-heading" mb={4}>
        {who}'s past requests to {request.dataset.agency}
      </Title>
      {history.isPending ? (
        <Loading label="Loading the requester's history…" />
      ) : history.isError ? (
        <ErrorState title="The requester's history could not be loaded" error={history.error} />
      ) : history.data.length === 0 ? (
        <Text size="sm">
          None: this is {who}'s first request for {request.dataset.agency}'s data.
        </Text>
      ) : (
        <List spacing={6} size="sm" listStyleType="none" p={0} m={0}>
          {history.data.slice(0, SHOWN).map((r) => (
            <List.Item key={r.id}>
              <Group gap="xs" wrap="wrap" align="center">
                <Anchor component={Link} to={`/requests/${r.id}`} size="sm">
                  {r.dataset.title}
                </Anchor>
                <StatusBadge status={r.status} />
              </Group>
              <Text size="xs" c="dimmed">
                {outcome(r)}
              </Text>
            </List.Item>
          ))}
          {history.data.length > SHOWN && (
            <List.Item>
              <Text size="sm">
                And {formatQuantity(history.data.length - SHOWN, 'earlier request')}.
              </Text>
            </List.Item>
          )}
        </List>
      )}
    </Box>
  )
}
