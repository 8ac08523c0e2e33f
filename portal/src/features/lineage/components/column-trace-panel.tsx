import { Group, List, Paper, Stack, Text, Title } from '@mantine/core'
import { formatQuantity } from '../../../lib/format.js'
import type { ColumnTrace } from './column-trace.js'
import { hopWords } from './flow-edges.js'
import { GraphBadge } from './graph-badge.js'
import type { HeadingLevel } from './node-details.js'

/**
 * Where a traced column comes from, in words beside the graph: where the trace ends (its
 * sources, outside the graph or not), then every hop from the column back, each with how the
 * column is made from the one before it.
 */
export function ColumnTracePanel({
  column,
  trace,
  level,
}: {
  column: string
  trace: ColumnTrace
  level: HeadingLevel
}) {
  const outside = new Set(trace.outside.map((o) => o.id))
  const hops = trace.links.length
  return (
    <Paper component="section" aria-label={`Where ${column} comes from`} withBorder p="md">
      <Title order={level} size="h4" mb="xs" style={{ overflowWrap: 'anywhere' }}>
        Where {column} comes from
      </Title>
      {hops === 0 ? (
        <Text c="dimmed">No column lineage reported for this column.</Text>
      ) : (
        <Stack gap="sm">
          <Text>
            {`Traced ${formatQuantity(trace.hops, 'step')} back to ${formatQuantity(trace.sources.length, 'source column')}:`}
          </Text>
          <List spacing={4} aria-label="Source columns">
            {trace.sources.map((source) => (
              <List.Item key={source.id}>
                <Group gap={6} wrap="wrap">
                  <Text span fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {`${source.data.dataset}.${source.data.field}`}
                  </Text>
                  <Text span size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    in {source.data.namespace}
                  </Text>
                  {outside.has(`outside:${source.data.namespace}:${source.data.dataset}`) && (
                    <GraphBadge>outside the graph</GraphBadge>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
          <Title order={level === 2 ? 3 : 4} size="h5">
            Each step
          </Title>
          <List spacing={6} aria-label="Each step of the trace">
            {trace.links.map((link) => (
              <List.Item key={link.id}>
                <Text style={{ overflowWrap: 'anywhere' }}>
                  {`${link.to.dataset}.${link.to.field} from ${link.from.dataset}.${link.from.field}: ${hopWords(link)}`}
                </Text>
                {link.assumed && (
                  <Text size="sm" c="dimmed">
                    The job that makes it reports no column lineage; the column is taken to pass
                    unchanged from the one of the same name.
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Paper>
  )
}
