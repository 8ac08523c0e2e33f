import { Anchor, Box, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { GrantTerms } from '../../../components/ui/grant-terms.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { type GrantInfo, useGrants } from '../api/use-requests.js'
import { SCOPE_WORDS, ScopeBadge } from './access-scope.js'
import { RevokedNotice, RevokeGrant } from './revoke-grant.js'
import { StatusBadge } from './service-level-badge.js'

const grantee = (g: GrantInfo) => `${g.grantee.username} (${g.grantee.agency})`

/** The table's columns; `onRevoked` confirms a revocation made from a row. */
const columnsOf = (onRevoked: (grantee: string) => void): DataColumn<GrantInfo>[] => [
  { id: 'grantee', header: 'Grantee', sortValue: grantee },
  {
    id: 'purpose',
    header: 'Why',
    cell: (g) => (
      <Anchor component={Link} to={`/requests/${g.requestId}`}>
        {g.purpose}
      </Anchor>
    ),
  },
  {
    id: 'scope',
    header: 'Shares',
    sortValue: (g) => SCOPE_WORDS[g.scope],
    cell: (g) => <ScopeBadge scope={g.scope} />,
  },
  {
    id: 'terms',
    header: 'Terms',
    sortValue: (g) => g.revoked?.at ?? g.expiresAt,
    // A revoked grant shows when and why it ended, never its old end.
    cell: (g) => (
      <GrantTerms
        columns={g.columns}
        rowFilter={g.rowFilter}
        inClear={g.inClear}
        expiresAt={g.expiresAt}
        status={g.status}
        revoked={g.revoked}
        size="xs"
      />
    ),
  },
  {
    id: 'status',
    header: 'Status',
    sortValue: (g) => g.status,
    cell: (g) => <StatusBadge status={g.status} />,
  },
  {
    id: 'actions',
    header: 'Actions',
    headerHidden: true,
    cell: (g) =>
      g.status === 'active' && (
        <RevokeGrant
          grantId={g.id}
          grantee={g.grantee.username}
          onRevoked={() => onRevoked(g.grantee.username)}
        />
      ),
  },
]

/** For the owning agency's stewards: who holds access to the dataset, why, on what terms, until when. */
export function DatasetAccess({ slug }: { slug: string }) {
  const grants = useGrants(slug, true)
  const [revoked, setRevoked] = useState<string>()
  return (
    <Box component="section" aria-labelledby="access-heading" my="lg">
      <Stack gap="xs">
        <Title order={2} id="access-heading">
          Who holds access
        </Title>
        <Text c="dimmed" size="sm">
          Every grant on this dataset. Revoking one ends the access at once and tells the grantee.
        </Text>
        {revoked && <RevokedNotice grantee={revoked} />}
        {grants.isPending ? (
          <Loading label="Loading grants…" />
        ) : grants.isError ? (
          <ErrorState title="The grants could not be loaded" error={grants.error} />
        ) : grants.data.length === 0 ? (
          <EmptyState title="Nobody holds access">
            No request for this dataset has been approved yet.
          </EmptyState>
        ) : (
          <DataTable
            caption="Grants on this dataset, newest first"
            columns={columnsOf(setRevoked)}
            rows={grants.data}
            rowKey={(g) => g.id}
          />
        )}
      </Stack>
    </Box>
  )
}
