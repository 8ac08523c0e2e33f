import { Alert, Anchor, Button, Code, Group, Stack, Text, Title } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import { type AuditEntryInfo, useAuditEntries, useAuditVerification } from '../api/use-audit.js'

const COLUMNS: readonly DataColumn<AuditEntryInfo>[] = [
  { id: 'seq', header: '#', cell: (e) => e.seq, align: 'right', rowHeader: true },
  { id: 'when', header: 'When', cell: (e) => formatDateTime(e.occurredAt) },
  { id: 'who', header: 'Who', cell: (e) => e.actor },
  { id: 'action', header: 'Action', cell: (e) => <Code>{e.action}</Code> },
  { id: 'outcome', header: 'Outcome', cell: (e) => e.outcome },
  {
    id: 'subject',
    header: 'Subject',
    cell: (e) => (e.subjectType ? `${e.subjectType} ${e.subjectId}` : ''),
  },
]

/** The audit trail for auditors, with the hash chain's verification status and an export. */
export function AuditPage() {
  const verification = useAuditVerification()
  const entries = useAuditEntries()
  return (
    <Stack component="section" aria-labelledby="audit-heading" gap="md">
      <div>
        <Title order={1} id="audit-heading">
          Audit trail
        </Title>
        <Text c="dimmed" maw="48rem">
          Every sign-in, token use and decision, in order. Each entry carries a keyed hash of the
          one before, and the newest is anchored outside the database, so a change to a past entry,
          a rebuilt chain or deleted entries are detected.
        </Text>
      </div>
      {verification.isPending ? (
        <Loading label="Verifying the hash chain…" />
      ) : verification.isError ? (
        <ErrorState title="The chain could not be verified" error={verification.error} />
      ) : verification.data.ok ? (
        <Alert color={TONE.good} variant="light" role="status">
          <Text>
            Chain verified: {verification.data.entries} entries intact
            {verification.data.checkpoint
              ? `, matching the checkpoint of ${formatDateTime(verification.data.checkpoint.at)} (${verification.data.checkpoint.entries} entries).`
              : '.'}
          </Text>
        </Alert>
      ) : (
        <Alert color="red" variant="light" role="alert">
          <Text fw={700}>
            Chain broken ({verification.data.kind}) at entry {verification.data.firstBadSeq}:{' '}
            {verification.data.problem}
          </Text>
        </Alert>
      )}
      <Group>
        <Anchor href="/api/audit/export" download>
          Export the whole trail (NDJSON)
        </Anchor>
      </Group>
      {entries.isPending ? (
        <Loading label="Loading entries…" />
      ) : entries.isError ? (
        <ErrorState title="The trail could not be loaded" error={entries.error} />
      ) : entries.data.pages[0]?.length === 0 ? (
        <EmptyState title="No entries yet">
          Entries appear as people sign in, use tokens and decide requests.
        </EmptyState>
      ) : (
        <Stack gap="sm">
          <DataTable
            caption="Newest first"
            columns={COLUMNS}
            rows={entries.data.pages.flat()}
            rowKey={(e) => String(e.seq)}
          />
          {entries.hasNextPage && (
            <Group>
              <Button
                type="button"
                variant="default"
                onClick={() => entries.fetchNextPage()}
                loading={entries.isFetchingNextPage}
              >
                Load older entries
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  )
}
