import { Alert, Anchor, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { type ReactNode, useState } from 'react'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { describeRowFilter } from '../../../components/ui/describe-row-filter.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDay, formatQuantity } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import {
  type AgencyGrant,
  type GrantFilters,
  type GrantStatusFilter,
  LIST_LIMIT,
  useAgencyGrants,
} from '../api/use-agency.js'
import type { StatusOf } from './agency-requests.js'

/** The Revoke button of a grant (the requests feature's), telling the page once it is done. */
export type RevokeOf = (grant: AgencyGrant, onRevoked: () => void) => ReactNode

/** How a grant ends, in words: "Until 31 Mar 2027", "Ended 2 Jan 2027", "Revoked 7 Dec 2026". */
export function grantEnd(g: AgencyGrant): string {
  if (g.revoked) return `Revoked ${formatDay(g.revoked.at)}`
  return `${g.status === 'expired' ? 'Ended' : 'Until'} ${formatDay(g.expiresAt)}`
}

/** What the grantee did with a grant: "3 queries, 1 download; last 7 Dec 2026". */
export function usageText(usage: AgencyGrant['usage']): string {
  if (!usage.lastUsedAt) return 'Not used yet'
  return `${formatQuantity(usage.queries, 'query', 'queries')}, ${formatQuantity(usage.downloads, 'download')}; last ${formatDay(usage.lastUsedAt)}`
}

function columnsOf(status: StatusOf, revoke: RevokeOf, revoked: (g: AgencyGrant) => void) {
  const columns: DataColumn<AgencyGrant>[] = [
    {
      id: 'grantee',
      header: 'Grantee',
      rowHeader: true,
      sortValue: (g) => g.grantee.username,
      cell: (g) => `${g.grantee.username} (${g.grantee.agency})`,
    },
    {
      id: 'dataset',
      header: 'Dataset',
      sortValue: (g) => g.dataset.title,
      cell: (g) => (
        <Anchor component={Link} to={`/requests/${g.requestId}`}>
          {g.dataset.title}
        </Anchor>
      ),
    },
    {
      id: 'rows',
      header: 'Rows',
      cell: (g) => {
        const rows = describeRowFilter(g.rowFilter)
        return rows ? `Where ${rows}` : 'All rows'
      },
    },
    {
      id: 'columns',
      header: 'Columns',
      cell: (g) => (g.columns ? g.columns.join(', ') : 'All'),
    },
    { id: 'ends', header: 'Ends', sortValue: (g) => g.revoked?.at ?? g.expiresAt, cell: grantEnd },
    {
      id: 'usage',
      header: 'Use',
      sortValue: (g) => g.usage.queries + g.usage.downloads,
      cell: (g) => usageText(g.usage),
    },
    { id: 'status', header: 'Status', sortValue: (g) => g.status, cell: (g) => status(g.status) },
    {
      id: 'actions',
      header: 'Actions',
      headerHidden: true,
      cell: (g) => g.status === 'active' && revoke(g, () => revoked(g)),
    },
  ]
  return columns
}

/** A list of grants, or what stands in for it; a confirmation once one is revoked here. */
export function GrantList({
  caption,
  filters,
  status,
  revoke,
  empty,
  soonestFirst = false,
}: {
  caption: string
  filters: GrantFilters
  status: StatusOf
  revoke: RevokeOf
  empty: string
  soonestFirst?: boolean
}) {
  const grants = useAgencyGrants(filters)
  const [revoked, setRevoked] = useState<AgencyGrant | undefined>()
  const confirmation = revoked && (
    <Alert role="status" color={TONE.good} variant="light" title="Access revoked">
      {revoked.grantee.username} no longer has access to {revoked.dataset.title}. They have been
      told, with your reason.
    </Alert>
  )
  if (grants.isPending) return <Loading label="Loading grants…" />
  if (grants.isError)
    return <ErrorState title="The grants could not be loaded" error={grants.error} />
  if (grants.data.length === 0)
    return (
      <Stack gap="xs">
        {confirmation}
        <EmptyState title="No grants">{empty}</EmptyState>
      </Stack>
    )
  return (
    <Stack gap="xs">
      {confirmation}
      <Text size="sm" c="dimmed">
        {grants.data.length >= LIST_LIMIT
          ? `Showing ${formatQuantity(grants.data.length, 'grant')}: narrow the search to see the others.`
          : `${formatQuantity(grants.data.length, 'grant')}, ${soonestFirst ? 'soonest to end first' : 'newest first'}.`}
      </Text>
      <DataTable
        caption={caption}
        columns={columnsOf(status, revoke, setRevoked)}
        rows={grants.data}
        rowKey={(g) => g.id}
      />
    </Stack>
  )
}

const STATUSES: { value: '' | Exclude<GrantStatusFilter, readonly string[]>; label: string }[] = [
  { value: '', label: 'Any status' },
  { value: 'active', label: 'Access granted' },
  { value: 'expired', label: 'Access expired' },
  { value: 'revoked', label: 'Access revoked' },
]

/** Every grant on the agency's datasets: search by grantee, filter by status, revoke. */
export function AgencyGrants({
  agency,
  status,
  revoke,
}: {
  agency?: string
  status: StatusOf
  revoke: RevokeOf
}) {
  const [grantee, setGrantee] = useState('')
  const [typed] = useDebouncedValue(grantee, 300)
  const [state, setState] = useState<(typeof STATUSES)[number]['value']>('')
  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Grantee"
          description="Part of a username"
          type="search"
          value={grantee}
          onChange={(e) => setGrantee(e.currentTarget.value)}
        />
        <NativeSelect
          label="Status"
          value={state}
          onChange={(e) => setState(e.currentTarget.value as typeof state)}
          data={STATUSES}
        />
      </Group>
      <GrantList
        caption="Grants on your agency's datasets, newest first"
        filters={{
          agency,
          ...(state && { status: state }),
          ...(typed.trim() && { grantee: typed.trim() }),
        }}
        status={status}
        revoke={revoke}
        empty="No grant matches this search."
      />
    </Stack>
  )
}
