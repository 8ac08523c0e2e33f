import { Alert, Anchor, Code, Group, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { ApiError } from '../../../lib/api-client.js'
import { formatDateTime } from '../../../lib/format.js'
import {
  type SavedQueryAnswer,
  type SavedQueryInfo,
  useRunSavedQuery,
  useSavedQuery,
} from '../api/use-saved-queries.js'
import { CopyLinkButton } from './copy-link-button.js'
import { ParameterForm } from './parameter-form.js'

/** One saved query: what it is, whose, its values form, and its answer. */
function SavedQueryView({
  query,
  results,
}: {
  query: SavedQueryInfo
  results: (answer: SavedQueryAnswer) => ReactNode
}) {
  const run = useRunSavedQuery(query.id)
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>{query.name}</Title>
        {query.description && <Text mt={4}>{query.description}</Text>}
        <Text size="sm" c="dimmed" mt={4}>
          Saved by {query.mine ? 'you' : query.owner.name} · changed{' '}
          {formatDateTime(query.updatedAt)}
        </Text>
      </div>
      <Alert variant="light" color="blue" title="Runs with your own access">
        Whoever saved it, this query reads only what your grants and samples show you: the columns,
        rows and masking of your own access. A view you do not hold is refused, and you can ask for
        it.
      </Alert>
      <Group gap="sm">
        <CopyLinkButton path={`/queries/${query.id}`} />
        <Anchor component={Link} to={`/query?${new URLSearchParams({ sql: query.sql })}`}>
          Open its SQL in the workbench
        </Anchor>
      </Group>
      <div>
        <Text fw={600} size="sm" mb={4}>
          SQL
        </Text>
        <Code block style={{ whiteSpace: 'pre-wrap' }}>
          {query.sql}
        </Code>
      </div>
      <ParameterForm
        parameters={query.parameters}
        running={run.isPending}
        onRun={(values) => run.mutate(values)}
      />
      {run.isError ? (
        <ErrorState title="The query did not run" error={run.error} />
      ) : run.data ? (
        results(run.data)
      ) : null}
    </Stack>
  )
}

/**
 * A saved query's page, at /queries/:id: anyone signed in who has the link opens it and runs it
 * with their own values, under their own access. `results` shows an answer (the workbench's).
 */
export function SavedQueryPage({ results }: { results: (answer: SavedQueryAnswer) => ReactNode }) {
  const { id = '' } = useParams()
  const query = useSavedQuery(id)
  if (query.isPending) return <Loading label="Loading the saved query…" />
  if (query.isError)
    return (
      <ErrorState
        title={
          query.error instanceof ApiError && query.error.status === 404
            ? 'No such saved query'
            : 'The saved query could not be loaded'
        }
        error={query.error}
      />
    )
  return <SavedQueryView key={query.data.id} query={query.data} results={results} />
}
