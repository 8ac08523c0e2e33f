import { Anchor, Box, Button, Group, List, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime, formatQuantity } from '../../../lib/format.js'
import { useDeleteSavedQuery, useSavedQueries } from '../api/use-saved-queries.js'

/** The person's own saved queries, each a link to its page, with a way to delete it. */
export function SavedQueryList() {
  const queries = useSavedQueries()
  const remove = useDeleteSavedQuery()
  return (
    <Box component="section" aria-labelledby="saved-queries-heading">
      <Title order={2} size="h3" id="saved-queries-heading">
        Your saved queries
      </Title>
      {queries.isPending ? (
        <Loading label="Loading your saved queries…" />
      ) : queries.isError ? (
        <ErrorState title="Your saved queries could not be loaded" error={queries.error} />
      ) : queries.data.length === 0 ? (
        <Text c="dimmed" mt={4}>
          None yet. Write a query, then “Save query” to give it a name and a link to share.
        </Text>
      ) : (
        <List listStyleType="none" spacing="xs" mt="xs">
          {queries.data.map((q) => (
            <List.Item key={q.id}>
              <Group gap="sm" wrap="nowrap" justify="space-between">
                <Stack gap={0}>
                  <Anchor component={Link} to={`/queries/${q.id}`} fw={600}>
                    {q.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {q.parameters.length > 0
                      ? `${formatQuantity(q.parameters.length, 'parameter')} · `
                      : ''}
                    changed {formatDateTime(q.updatedAt)}
                  </Text>
                </Stack>
                <Button
                  variant="subtle"
                  color="red.9"
                  size="xs"
                  aria-label={`Delete ${q.name}`}
                  loading={remove.isPending && remove.variables === q.id}
                  onClick={() => remove.mutate(q.id)}
                >
                  Delete
                </Button>
              </Group>
            </List.Item>
          ))}
        </List>
      )}
      {remove.isError && <ErrorState title="The query was not deleted" error={remove.error} />}
    </Box>
  )
}
