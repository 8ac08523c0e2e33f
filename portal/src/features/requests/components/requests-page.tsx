import { Anchor, Box, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatDay } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import { type RequestSummary, useRequests } from '../api/use-requests.js'
import { SCOPE_WORDS, ScopeBadge } from './access-scope.js'
import { ServiceLevelBadge, StatusBadge } from './service-level-badge.js'

/** "My requests & grants" and, for stewards, the queue of their agency's open requests. */
export function RequestsPage() {
  const me = useMe()
  const steward = me.data?.user.roles.includes('steward') ?? false
  const mine = useRequests({ mine: true })
  const queue = useRequests({ status: ['submitted', 'needs-info'] })
  const toDecide = (queue.data ?? []).filter((r) => r.requester.id !== me.data?.user.id)
  return (
    <Stack gap="xl">
      <div>
        <Title order={1}>Data requests</Title>
        <Text c="dimmed" mt={4}>
          Ask for datasets you may not read yet, follow each request's clock, and see what you have
          been granted.
        </Text>
      </div>
      {steward && (
        <Box component="section" aria-labelledby="queue-heading">
          <Title order={2} id="queue-heading">
            Steward queue
          </Title>
          <Text c="dimmed" mb="sm">
            Requests for your agency's datasets waiting for a decision, oldest clock first. The
            target is a decision within 7 working days.
          </Text>
          <RequestTable
            caption="Waiting for your agency"
            query={{ ...queue, data: [...toDecide].sort(byUrgency) }}
            emptyTitle="Nothing to decide"
            empty="No request for your agency's datasets is waiting for a decision."
            showRequester
          />
        </Box>
      )}
      <Box component="section" aria-labelledby="mine-heading">
        <Title order={2} id="mine-heading" mb="sm">
          My requests &amp; grants
        </Title>
        <RequestTable
          caption="Requests you made, newest first"
          query={mine}
          emptyTitle="No requests yet"
          empty="You have not requested any dataset yet. Find one and use “Request access” on its page."
        />
      </Box>
    </Stack>
  )
}

/** Overdue first, then the fewest working days left. */
function byUrgency(a: RequestSummary, b: RequestSummary): number {
  const left = (r: RequestSummary) =>
    r.serviceLevel.status === 'paused' ? 100 : r.serviceLevel.limit - r.serviceLevel.workingDays
  return left(a) - left(b)
}

function columnsOf(showRequester: boolean): DataColumn<RequestSummary>[] {
  return [
    {
      id: 'dataset',
      header: 'Dataset',
      sortValue: (r) => r.dataset.title,
      cell: (r) => (
        <Anchor component={Link} to={`/requests/${r.id}`}>
          {r.dataset.title}
        </Anchor>
      ),
    },
    ...(showRequester
      ? [
          {
            id: 'requester',
            header: 'Requester',
            sortValue: (r: RequestSummary) => `${r.requester.username} (${r.requester.agency})`,
          },
        ]
      : []),
    {
      id: 'scope',
      header: 'Asked for',
      sortValue: (r) => SCOPE_WORDS[r.scope],
      cell: (r) => <ScopeBadge scope={r.scope} />,
    },
    {
      id: 'submitted',
      header: 'Submitted',
      sortValue: (r) => r.submittedAt,
      cell: (r) => formatDateTime(r.submittedAt),
    },
    { id: 'status', header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
    { id: 'clock', header: 'Clock', cell: (r) => <ServiceLevelBadge level={r.serviceLevel} /> },
    {
      id: 'access',
      header: 'Access',
      sortValue: (r) => r.grant?.revoked?.at ?? r.grant?.expiresAt ?? null,
      cell: (r) => (r.grant ? accessText(r.grant) : '—'),
    },
  ]
}

type Grant = NonNullable<RequestSummary['grant']>

/** How long access lasts, or when it ended: a revoked grant never shows its old end. */
function accessText(g: Pick<Grant, 'status' | 'expiresAt' | 'revoked'>): string {
  if (g.revoked) return `Revoked ${formatDay(g.revoked.at)}`
  return `${g.status === 'expired' ? 'Ended' : 'Until'} ${formatDay(g.expiresAt)}`
}

const QUEUE_COLUMNS = columnsOf(true)
const MY_COLUMNS = columnsOf(false)

function RequestTable({
  caption,
  query,
  emptyTitle,
  empty,
  showRequester = false,
}: {
  caption: string
  query: { isPending: boolean; isError: boolean; error: unknown; data?: RequestSummary[] }
  emptyTitle: string
  empty: string
  showRequester?: boolean
}) {
  if (query.isPending) return <Loading label="Loading requests…" />
  if (query.isError)
    return <ErrorState title="The requests could not be loaded" error={query.error} />
  const requests = query.data ?? []
  if (requests.length === 0) return <EmptyState title={emptyTitle}>{empty}</EmptyState>
  return (
    <DataTable
      caption={caption}
      columns={showRequester ? QUEUE_COLUMNS : MY_COLUMNS}
      rows={requests}
      rowKey={(r) => r.id}
    />
  )
}
