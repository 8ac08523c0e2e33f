import { Anchor, Button, Group, List, Stack, Text, TextInput, Title } from '@mantine/core'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount } from '../../../lib/format.js'
import { type LineageSearchResult, useLineageSearch } from '../api/use-lineage.js'
import { GraphBadge } from './graph-badge.js'

const lineageLink = (nodeId: string) => `/lineage?node=${encodeURIComponent(nodeId)}`

function ResultItem({ result }: { result: LineageSearchResult }) {
  return (
    <List.Item>
      <Group gap={6} wrap="wrap">
        <Anchor
          component={Link}
          to={lineageLink(result.nodeId)}
          style={{ overflowWrap: 'anywhere' }}
        >
          {result.name}
        </Anchor>
        <Text span size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {result.type === 'JOB' ? 'job' : 'dataset'} in {result.namespace}
        </Text>
        {result.type === 'DATASET' &&
          (result.catalogue ? (
            <Anchor component={Link} to={`/datasets/${result.catalogue.slug}`} size="sm">
              our catalogue entry
            </Anchor>
          ) : (
            <GraphBadge>lineage only</GraphBadge>
          ))}
      </Group>
    </List.Item>
  )
}

/** Find a dataset or job that lineage knows (ours or another tool's) to explore from. */
export function LineageSearch() {
  const [text, setText] = useState('')
  const [q, setQ] = useState('')
  const found = useLineageSearch(q, {})
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setQ(text.trim())
  }
  return (
    <Stack component="section" aria-label="Find in lineage" gap="sm">
      <search>
        <form onSubmit={submit}>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              type="search"
              label="Find a dataset or job"
              value={text}
              onChange={(event) => setText(event.currentTarget.value)}
              placeholder="e.g. person_address, s3://, airflow"
              style={{ flex: '1 1 16rem' }}
            />
            <Button type="submit">Find</Button>
          </Group>
        </form>
      </search>
      {q &&
        (found.isPending ? (
          <Loading label="Looking…" />
        ) : found.isError ? (
          <ErrorState title="The lineage search failed" error={found.error} />
        ) : found.data.results.length === 0 ? (
          <Text c="dimmed">Nothing in lineage is named like "{q}".</Text>
        ) : (
          <>
            <Text aria-live="polite">
              {formatCount(found.data.totalCount)} in lineage for "{q}"
            </Text>
            <List spacing={6} listStyleType="none" ml={0} pl={0}>
              {found.data.results.map((r) => (
                <ResultItem key={r.nodeId} result={r} />
              ))}
            </List>
          </>
        ))}
    </Stack>
  )
}

/**
 * Datasets that only lineage knows (other tools' tables and files) matching a catalogue search,
 * each linked to where it sits in the lineage graph; shown beside the catalogue's own results.
 */
export function LineageOnlyMatches({ q }: { q: string }) {
  const found = useLineageSearch(q, { filter: 'DATASET', limit: 10 })
  if (!q || !found.data) return null
  const lineageOnly = found.data.results.filter((r) => r.lineageOnly)
  if (lineageOnly.length === 0) return null
  return (
    <Stack component="section" aria-labelledby="lineage-only-heading" gap="xs" mt="lg">
      <Title order={2} size="h3" id="lineage-only-heading">
        Also seen in lineage
      </Title>
      <Text c="dimmed">
        Datasets other systems report reading or writing, not published in this catalogue.
      </Text>
      <List spacing={6} listStyleType="none">
        {lineageOnly.map((r) => (
          <ResultItem key={r.nodeId} result={r} />
        ))}
      </List>
    </Stack>
  )
}
