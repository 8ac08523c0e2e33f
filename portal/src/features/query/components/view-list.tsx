import { Box, Stack, Text, TextInput, Title } from '@mantine/core'
import { useId, useState } from 'react'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount, formatQuantity } from '../../../lib/format.js'
import type { ViewInfo } from '../api/use-query.js'
import { ViewCard } from './view-card.js'
import { groupViews } from './view-groups.js'

/**
 * The views the reader may query, searchable by name, dataset or agency and grouped by what the
 * reader holds: their grants first, then samples, Official (Open) data and aggregates. Picking a
 * view puts a first query for it in the editor.
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
        <GroupedViews views={views.data} onPick={onPick} />
      )}
    </Box>
  )
}

function GroupedViews({ views, onPick }: { views: ViewInfo[]; onPick: (view: ViewInfo) => void }) {
  const ids = useId()
  const [search, setSearch] = useState('')
  const groups = groupViews(views, search)
  const shown = groups.reduce((n, g) => n + g.views.length, 0)
  return (
    <Stack gap="sm">
      <TextInput
        type="search"
        label="Search your views"
        description="By view name, dataset title or agency"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <Text size="xs" c="dimmed" role="status">
        {search.trim()
          ? `${formatCount(shown)} of ${formatQuantity(views.length, 'view')} match`
          : formatQuantity(views.length, 'view')}
      </Text>
      {groups.length === 0 && (
        <Text size="sm">No view matches “{search.trim()}”. Try a dataset’s title or agency.</Text>
      )}
      {groups.map((group) => (
        <Box component="section" key={group.key} aria-labelledby={`${ids}-${group.key}`}>
          <Title order={3} size="h5" id={`${ids}-${group.key}`} mb={4}>
            {group.title}{' '}
            <Text span size="sm" c="dimmed" fw={400}>
              ({formatQuantity(group.views.length, 'view')})
            </Text>
          </Title>
          <Stack gap="sm">
            {group.views.map((v) => (
              <ViewCard key={v.name} view={v} onPick={onPick} />
            ))}
          </Stack>
        </Box>
      ))}
    </Stack>
  )
}
