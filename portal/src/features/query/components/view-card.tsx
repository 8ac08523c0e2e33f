import { Anchor, Badge, Code, Group, List, Paper, Stack, Text } from '@mantine/core'
import { GrantTerms } from '../../../components/ui/grant-terms.js'
import type { ViewInfo } from '../api/use-query.js'
import { AGGREGATE_HINT, exampleAggregateQuery, isAggregateView } from './aggregate-views.js'

/** Why the reader may query a view, in words. */
function basisOf(view: ViewInfo): string {
  if (view.scope === 'sample') return 'Sample'
  if (isAggregateView(view)) return 'Aggregates only'
  return view.basis === 'grant' ? 'Granted' : 'Open data'
}

/**
 * One view the reader may query: its name (picking it starts a query), the dataset and agency it
 * reads, the terms of the grant behind it, and its columns with their types and masking.
 */
export function ViewCard({ view, onPick }: { view: ViewInfo; onPick: (view: ViewInfo) => void }) {
  return (
    <Paper withBorder p="sm" component="article" aria-label={`View ${view.name}`}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Anchor
          component="button"
          type="button"
          fw={600}
          style={{ overflowWrap: 'anywhere', textAlign: 'left' }}
          onClick={() => onPick(view)}
        >
          {view.name}
        </Anchor>
        <Badge variant="outline" color={isAggregateView(view) ? '#6b2d91' : 'gray.8'} tt="none">
          {basisOf(view)}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {view.dataset.title} · {view.dataset.agency}
      </Text>
      {view.basis === 'grant' && (
        <Stack gap={2} mt="xs" aria-label={`Terms of your grant for ${view.name}`} role="group">
          <Text size="xs" fw={700}>
            Your grant
          </Text>
          <GrantTerms
            size="xs"
            columns={view.grantedColumns}
            columnCount={view.columns.length}
            rowFilter={view.rowFilter}
            inClear={view.inClear}
            hasIdentifiers={view.inClear.length > 0 || view.columns.some((c) => c.masked)}
            expiresAt={view.expiresAt}
          />
        </Stack>
      )}
      {isAggregateView(view) && <AggregateHint view={view} />}
      <List
        aria-label={`Columns of ${view.name}`}
        listStyleType="none"
        size="sm"
        spacing={2}
        mt="xs"
      >
        {view.columns.map((c) => (
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
