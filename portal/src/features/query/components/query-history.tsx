import { Anchor, Box, Code, List, Text, Title } from '@mantine/core'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatQuantity } from '../../../lib/format.js'
import type { HistoryInfo } from '../api/use-query.js'

const SHOWN = 10

/** The reader's latest queries, newest first; picking one puts it back in the editor. */
export function QueryHistory({
  history,
  onPick,
}: {
  history: { isPending: boolean; isError: boolean; error: unknown; data?: HistoryInfo[] }
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
        <EmptyState title="No queries yet">Your queries will be listed here.</EmptyState>
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            Your last {Math.min(SHOWN, history.data.length)} queries. Pick one to put it back in the
            editor.
          </Text>
          <List type="ordered" listStyleType="none" spacing="xs" aria-label="Your recent queries">
            {history.data.slice(0, SHOWN).map((h) => (
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
                  {h.rows !== null && ` · ${formatQuantity(h.rows, 'row')}`}
                </Text>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Box>
  )
}
