import { Anchor, Badge, Box, Code, Group, List, Paper, Stack, Text, Title } from '@mantine/core'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import type { ViewInfo } from '../api/use-query.js'
import { AGGREGATE_HINT, exampleAggregateQuery, isAggregateView } from './aggregate-views.js'

/** Why the reader may query a view, in words. */
function basisOf(view: ViewInfo): string {
  if (view.scope === 'sample') return 'Sample'
  if (isAggregateView(view)) return 'Aggregates only'
  return view.basis === 'grant' ? 'Granted' : 'Open data'
}

/**
 * The views the reader may query, each with its columns and types; picking a view puts a first
 * query for it in the editor. An aggregate-only view says what it takes, with an example.
 */
export function ViewList({
  views,
  onPick,
}: {
  views: { isPending: boolean; isError: boolean; error: unknown; data?: ViewInfo[] }
  onPick: (view: ViewInfo) => void
}) {
  return (
    <Box component="section" aria-labelledby="views-heading">
      <Title order={2} id="views-heading" size="h3">
        Your views
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Pick a view to start a query with it.
      </Text>
      {views.isPending ? (
        <Loading label="Loading your views…" />
      ) : views.isError ? (
        <ErrorState title="Your views could not be loaded" error={views.error} />
      ) : !views.data || views.data.length === 0 ? (
        <EmptyState title="No views yet">Nothing you may query has been published.</EmptyState>
      ) : (
        <Stack gap="sm">
          {views.data.map((v) => (
            <Paper key={v.name} withBorder p="sm">
              <Group gap="xs" wrap="wrap" justify="space-between">
                <Anchor
                  component="button"
                  type="button"
                  fw={600}
                  style={{ overflowWrap: 'anywhere', textAlign: 'left' }}
                  onClick={() => onPick(v)}
                >
                  {v.name}
                </Anchor>
                <Badge
                  variant="outline"
                  color={isAggregateView(v) ? '#6b2d91' : 'gray.8'}
                  tt="none"
                >
                  {basisOf(v)}
                </Badge>
              </Group>
              {isAggregateView(v) && <AggregateHint view={v} />}
              <List
                aria-label={`Columns of ${v.name}`}
                listStyleType="none"
                size="sm"
                spacing={2}
                mt="xs"
              >
                {v.columns.map((c) => (
                  <List.Item key={c.name}>
                    <Code>{c.name}</Code>{' '}
                    <Text span size="xs" c="dimmed">
                      {c.type}
                    </Text>
                    {c.masked && (
                      <>
                        {' '}
                        <Badge variant="light" color="#a51d1d" size="xs" tt="none">
                          masked
                        </Badge>
                      </>
                    )}
                  </List.Item>
                ))}
              </List>
            </Paper>
          ))}
        </Stack>
      )}
    </Box>
  )
}

/** What an aggregate-only view takes, and a query over its own columns that does. */
function AggregateHint({ view }: { view: ViewInfo }) {
  return (
    <Stack gap={4} mt="xs">
      <Text size="sm">{AGGREGATE_HINT}</Text>
      <Text size="sm">For example:</Text>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {exampleAggregateQuery(view)}
      </Code>
    </Stack>
  )
}
