import { Anchor, Box, Code, List, Text, Title } from '@mantine/core'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatQuantity } from '../../../lib/format.js'
import type { HistoryInfo } from '../api/use-query.js'

const SHOWN = 10

type Loaded = { isPending: boolean; isError: boolean; error: unknown; data?: HistoryInfo[] }

/**
 * The reader's own latest queries, newest first (those run in the workbench or through the API);
 * apart, those sent as previews (`purpose: preview`, e.g. a script showing a sample's first rows;
 * dataset pages read theirs from a file and run none). Picking one puts it back in the editor.
 */
export function QueryHistory({
  history,
  previews,
  onPick,
}: {
  history: Loaded
  previews: Loaded
  onPick: (sql: string) => void
}) {
  return (
    <Box component="section" aria-labelledby="history-heading">
      <Title order={2} id="history-heading" size="h3">
        History
      </Title>
      {history.isPending ? (
        <Loading label="Loading your queries…" />
      ) : history.isError ? (
        <ErrorState title="Your queries could not be loaded" error={history.error} />
      ) : !history.data || history.data.length === 0 ? (
        <EmptyState title="No queries yet">The queries you run will be listed here.</EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            Your last {formatQuantity(Math.min(SHOWN, history.data.length), 'query', 'queries')}.
            Pick one to put it back in the editor.
          </Text>
          <Entries entries={history.data} label="Your recent queries" onPick={onPick} />
        </>
      )}
      {previews.data && previews.data.length > 0 && (
        <Box component="details" mt="sm">
          <summary>
            Previews run for you ({formatQuantity(previews.data.length, 'preview')})
          </summary>
          <Text size="sm" c="dimmed" my="xs">
            Queries sent as previews of a sample, by a script or an earlier version of the portal,
            are kept apart from the queries you ran.
          </Text>
          <Entries entries={previews.data} label="Sample previews" onPick={onPick} />
        </Box>
      )}
    </Box>
  )
}

function Entries({
  entries,
  label,
  onPick,
}: {
  entries: HistoryInfo[]
  label: string
  onPick: (sql: string) => void
}) {
  return (
    <List type="ordered" listStyleType="none" spacing="xs" aria-label={label}>
      {entries.slice(0, SHOWN).map((h) => (
        <List.Item key={h.id}>
          <Anchor
            component="button"
            type="button"
            onClick={() => onPick(h.sql)}
            style={{ textAlign: 'left', maxWidth: '100%' }}
          >
            <Code style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {h.sql.length > 80 ? `${h.sql.slice(0, 80)}…` : h.sql}
            </Code>
          </Anchor>
          <Text size="xs" c="dimmed">
            {formatDateTime(h.startedAt)} · {h.status}
            {h.purpose === 'api' && ' · through the API'}
            {h.rows !== null && ` · ${formatQuantity(h.rows, 'row')}`}
          </Text>
        </List.Item>
      ))}
    </List>
  )
}
