import { Accordion, Code, List, Stack, Text, Title } from '@mantine/core'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { type FeedContractInfo, useFeeds } from '../api/use-feeds.js'

type FeedColumn = FeedContractInfo['columns'][number]

const COLUMNS: readonly DataColumn<FeedColumn>[] = [
  { id: 'name', header: 'Column', cell: (c) => <Code>{c.name}</Code>, rowHeader: true },
  { id: 'type', header: 'Type', cell: (c) => c.type },
  { id: 'required', header: 'Required', cell: (c) => (c.required ? 'Yes' : 'No') },
  {
    id: 'rule',
    header: 'Rule',
    cell: (c) => [c.rule, c.normalize && `normalised: ${c.normalize}`].filter(Boolean).join('; '),
  },
  { id: 'description', header: 'Description', cell: (c) => c.description },
]

/** What each Single Source of Truth promises to deliver: the feed contracts the Trusted Centres enforce. */
export function FeedsPage() {
  const feeds = useFeeds()
  return (
    <Stack component="section" aria-labelledby="feeds-heading" gap="md">
      <div>
        <Title order={1} id="feeds-heading">
          Feed contracts
        </Title>
        <Text c="dimmed" maw="48rem">
          Every delivery is checked against its contract: rows that break a rule are kept in
          quarantine with the reason, and a delivery whose columns differ is refused whole.
        </Text>
      </div>
      {feeds.isPending ? (
        <Loading label="Loading feed contracts…" />
      ) : feeds.isError ? (
        <ErrorState title="The feed contracts could not be loaded" error={feeds.error} />
      ) : feeds.data.length === 0 ? (
        <EmptyState title="No feed contracts yet">
          A contract appears here once a source of truth agrees what it delivers.
        </EmptyState>
      ) : (
        <Accordion multiple variant="separated" order={2} chevronPosition="left">
          {feeds.data.map((feed) => (
            <Accordion.Item key={feed.id} value={feed.id}>
              <Accordion.Control>
                <Text fw={700} component="span" display="block">
                  {feed.title}
                </Text>
                <Text size="sm" c="dimmed" component="span" display="block">
                  {feed.id} v{feed.version} · from {feed.ssot.toUpperCase()} to {feed.trustedCentre}{' '}
                  · {feed.delivery === 'snapshot' ? 'full snapshots' : 'deltas'} · key{' '}
                  {feed.key.join(', ')}
                </Text>
              </Accordion.Control>
              <Accordion.Panel>
                <Stack gap="sm">
                  <DataTable
                    caption={`${feed.columns.length} columns, in delivery order`}
                    columns={COLUMNS}
                    rows={feed.columns}
                    rowKey={(c) => c.name}
                  />
                  {feed.rowRules.length > 0 && (
                    <List size="sm" spacing={4} aria-label={`Row rules of ${feed.title}`}>
                      {feed.rowRules.map((rule) => (
                        <List.Item key={rule.name}>
                          Row rule <Code>{rule.name}</Code>: refused when {rule.reason}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  )
}
