import {
  Alert,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import {
  type ApiTokenInfo,
  type NewToken,
  useCreateToken,
  useRevokeToken,
  useTokens,
} from '../api/use-tokens.js'

/** Personal API tokens for scripts: create one (its secret is shown once), see them, revoke them. */
export function TokensPage() {
  const tokens = useTokens()
  const create = useCreateToken()
  const revoke = useRevokeToken()
  const [name, setName] = useState('')
  const [write, setWrite] = useState(false)
  const [days, setDays] = useState<number | string>(30)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const request: NewToken = {
      name,
      scopes: write ? ['read', 'write'] : ['read'],
      expiresInDays: Number(days),
    }
    create.mutate(request, { onSuccess: () => setName('') })
  }

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
    <Stack component="section" aria-labelledby="tokens-heading" gap="lg">
      <div>
        <Title order={1} id="tokens-heading">
          API tokens
        </Title>
        <Text c="dimmed" maw="48rem">
          Scripts call the API with <Code>Authorization: Bearer &lt;token&gt;</Code>. A token acts
          as you, within the scopes you give it, until it expires or you revoke it.
        </Text>
      </div>

      <Paper
        component="form"
        withBorder
        p="md"
        onSubmit={submit}
        aria-labelledby="new-token-heading"
        maw="36rem"
      >
        {/* Every field is required, so none is starred. */}
        <Stack gap="sm">
          <Title order={2} size="h3" id="new-token-heading">
            New token
          </Title>
          <TextInput
            label="Name"
            description="What the token is for, so you recognise it later"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            withAsterisk={false}
            maxLength={100}
            placeholder="e.g. nightly sync"
          />
          <NumberInput
            label="Expires after (days)"
            min={1}
            max={365}
            clampBehavior="strict"
            allowDecimal={false}
            value={days}
            onChange={setDays}
            required
            withAsterisk={false}
            maw="12rem"
          />
          <Checkbox
            label="Allow changes (write scope); without it the token can only read"
            checked={write}
            onChange={(e) => setWrite(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create token
            </Button>
          </Group>
          {create.isError && <ErrorState title="The token was not created" error={create.error} />}
        </Stack>
      </Paper>

      {create.data && (
        <Alert color="green" variant="light" role="status" maw="48rem">
          <Stack gap="xs">
            <Text fw={700}>Copy your new token now. It will not be shown again.</Text>
            <Group gap="sm" wrap="nowrap" align="flex-start">
              <Code block style={{ flex: 1, minWidth: 0, wordBreak: 'break-all' }}>
                {create.data.token}
              </Code>
              <CopyButton value={create.data.token}>
                {({ copied, copy }) => (
                  <Button type="button" variant="default" onClick={copy} aria-live="polite">
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}

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
    </Stack>
  )
}
