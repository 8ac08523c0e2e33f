import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ClassificationBadge } from '../../../components/ui/classification-badge.js'
import { formatCount, formatDateTime } from '../../../lib/format.js'
import type { SearchHitInfo } from '../api/use-search.js'

/** One hit: its title as a link, classification, owner, facts and why it matched. */
export function ResultCard({ hit }: { hit: SearchHitInfo }) {
  const why = [
    hit.matched.title && 'title',
    hit.matched.tags && 'tags',
    hit.matched.description && 'description',
    hit.matched.columns.length > 0 && `columns ${hit.matched.columns.join(', ')}`,
    hit.matched.typo && 'a similar word',
  ].filter(Boolean)
  const facts: [string, string][] = [
    ['Rows', hit.rowCount === null ? 'Not published' : formatCount(hit.rowCount)],
    ['Updated', formatDateTime(hit.updatedAt)],
    ['Sample', hit.sampleAvailable ? 'Available' : 'None'],
  ]
  return (
    <Card component="li" withBorder padding="md">
      <Stack gap={6}>
        <Title order={2} size="h4">
          <Anchor component={Link} to={`/datasets/${hit.slug}`}>
            {hit.title}
          </Anchor>
        </Title>
        <Group gap="xs" wrap="wrap">
          <ClassificationBadge classification={hit.classification} />
          <Text size="sm" c="dimmed">
            {hit.agencyName ?? hit.agency} · {hit.trustedCentre}
          </Text>
        </Group>
        <Text lineClamp={3}>{hit.description}</Text>
        <Group component="dl" gap="lg" wrap="wrap" m={0}>
          {facts.map(([label, value]) => (
            <Group key={label} gap={6} wrap="nowrap">
              <Text component="dt" size="sm" c="dimmed">
                {label}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {value}
              </Text>
            </Group>
          ))}
        </Group>
        {why.length > 0 && (
          <Text size="sm" c="dimmed" fs="italic">
            Matched on {why.join(', ')}
          </Text>
        )}
      </Stack>
    </Card>
  )
}
