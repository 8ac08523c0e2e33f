import { Button, Stack, Title } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type ApiTokenInfo, useRevokeToken, useTokens } from '../api/use-tokens.js'

/** "Your tokens": each with its scopes, expiry and last use, and a button that revokes it. */
export function TokenList() {
  const tokens = useTokens()
  const revoke = useRevokeToken()

  const columns: readonly DataColumn<ApiTokenInfo>[] = [
    { id: 'name', header: 'Name', cell: (t) => t.name, rowHeader: true },
    { id: 'scopes', header: 'Scopes', cell: (t) => t.scopes.join(', ') },
    { id: 'expires', header: 'Expires', cell: (t) => formatDateTime(t.expiresAt) },
    {
      id: 'used',
      header: 'Last used',
      cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'),
    },
    {
      id: 'status',
      header: 'Status',
      cell: (t) =>
        t.revokedAt ? (
          `Revoked ${formatDateTime(t.revokedAt)}`
        ) : (
          <Button
            type="button"
            size="xs"
            variant="outline"
            color="red.9"
            onClick={() => revoke.mutate(t.id)}
            disabled={revoke.isPending}
            aria-label={`Revoke ${t.name}`}
          >
            Revoke
          </Button>
        ),
    },
  ]

  return (
    <Stack gap="xs">
      <Title order={2}>Your tokens</Title>
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState title="Your tokens could not be loaded" error={tokens.error} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No tokens yet">
          Create one above to call the API from a script.
        </EmptyState>
      ) : (
        <DataTable
          caption={`${tokens.data.length} token${tokens.data.length === 1 ? '' : 's'}, newest first`}
          columns={columns}
          rows={tokens.data}
          rowKey={(t) => t.id}
        />
      )}
    </Stack>
  )
}
