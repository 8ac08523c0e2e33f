import { Anchor, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { type ReactNode, useState } from 'react'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatQuantity } from '../../../lib/format.js'
import {
  type AgencyRequest,
  LIST_LIMIT,
  type RequestFilters,
  type RequestStatusFilter,
  useAgencyRequests,
} from '../api/use-agency.js'

/** A request's or grant's status in words, as the requests feature shows it. */
export type StatusOf = (status: AgencyRequest['status']) => ReactNode

/** The states a steward filters by, in the words the status badges use. */
const STATES: { value: '' | Exclude<RequestStatusFilter, readonly string[]>; label: string }[] = [
  { value: '', label: 'Any state' },
  { value: 'submitted', label: 'Submitted' },
  { value: 'needs-info', label: 'Needs information' },
  { value: 'awaiting-second-approval', label: 'Awaiting a second approval' },
  { value: 'active', label: 'Access granted' },
  { value: 'expired', label: 'Access expired' },
  { value: 'revoked', label: 'Access revoked' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'withdrawn', label: 'Withdrawn' },
]

function columnsOf(status: StatusOf): DataColumn<AgencyRequest>[] {
  return [
    {
      id: 'submitted',
      header: 'Submitted',
      sortValue: (r) => r.submittedAt,
      cell: (r) => formatDateTime(r.submittedAt),
    },
    {
      id: 'dataset',
      header: 'Dataset',
      sortValue: (r) => r.dataset.title,
      rowHeader: true,
      cell: (r) => (
        <Anchor component={Link} to={`/requests/${r.id}`}>
          {r.dataset.title}
        </Anchor>
      ),
    },
    {
      id: 'requester',
      header: 'Requester',
      sortValue: (r) => r.requester.username,
      cell: (r) => `${r.requester.username} (${r.requester.agency})`,
    },
    {
      id: 'status',
      header: 'Status',
      sortValue: (r) => r.status,
      cell: (r) => status(r.status),
    },
    {
      id: 'approvals',
      header: 'Approvals',
      sortValue: (r) => r.approvals.length,
      cell: (r) =>
        r.approvals.length === 0
          ? 'None yet'
          : `${r.approvals.length} of ${r.approvalsNeeded}: ${r.approvals.map((a) => a.steward).join(', ')}`,
    },
    {
      id: 'decided',
      header: 'Decided',
      sortValue: (r) => r.decidedAt,
      cell: (r) => (r.decidedAt ? formatDateTime(r.decidedAt) : 'Not yet'),
    },
  ]
}

/** A list of requests, newest first, or what stands in for it while loading or when empty. */
export function RequestList({
  caption,
  filters,
  status,
  empty,
}: {
  caption: string
  filters: RequestFilters
  status: StatusOf
  empty: string
}) {
  const requests = useAgencyRequests(filters)
  if (requests.isPending) return <Loading label="Loading requests…" />
  if (requests.isError)
    return <ErrorState title="The requests could not be loaded" error={requests.error} />
  if (requests.data.length === 0) return <EmptyState title="No requests">{empty}</EmptyState>
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" role="status">
        {requests.data.length >= LIST_LIMIT
          ? `Showing the latest ${formatQuantity(requests.data.length, 'request')}: narrow the filters to see older ones.`
          : `${formatQuantity(requests.data.length, 'request')}, newest first.`}
      </Text>
      <DataTable
        caption={caption}
        columns={columnsOf(status)}
        rows={requests.data}
        rowKey={(r) => r.id}
        initialSort={{ id: 'submitted', desc: true }}
      />
    </Stack>
  )
}

/** Every request on the agency's datasets, in any state, filtered by state, dataset, requester. */
export function AgencyRequests({ agency, status }: { agency?: string; status: StatusOf }) {
  const [state, setState] = useState<(typeof STATES)[number]['value']>('')
  const [dataset, setDataset] = useState('')
  const [requester, setRequester] = useState('')
  const [typed] = useDebouncedValue(requester, 300)
  // The datasets to choose from: those of the agency anyone has asked for.
  const all = useAgencyRequests({ agency })
  const datasets = [
    ...new Map((all.data ?? []).map((r) => [r.dataset.slug, r.dataset.title])).entries(),
  ].sort((a, b) => a[1].localeCompare(b[1]))
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NativeSelect
          label="State"
          value={state}
          onChange={(e) => setState(e.currentTarget.value as typeof state)}
          data={STATES}
        />
        <NativeSelect
          label="Dataset"
          value={dataset}
          onChange={(e) => setDataset(e.currentTarget.value)}
          data={[
            { value: '', label: 'Any dataset' },
            ...datasets.map(([slug, title]) => ({ value: slug, label: title })),
          ]}
        />
        <TextInput
          label="Requester"
          description="Part of a username"
          type="search"
          value={requester}
          onChange={(e) => setRequester(e.currentTarget.value)}
        />
      </Group>
      <RequestList
        caption="Requests on your agency's datasets, newest first"
        filters={{
          agency,
          ...(state && { status: state }),
          ...(dataset && { dataset }),
          ...(typed.trim() && { requester: typed.trim() }),
        }}
        status={status}
        empty="No request matches these filters."
      />
    </Stack>
  )
}
