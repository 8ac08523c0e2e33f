import { Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'
import { type DataColumn, DataTable } from '../../../components/ui/data-table.js'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type LineageNode, type RunSummary, useJobRuns } from '../api/use-lineage.js'
import { FacetList } from './facet-list.js'

/** Our own datasets live in this namespace and have a catalogue page. */
export const OUR_NAMESPACE = 'gov-data-portal'

const duration = (ms: number | null) =>
  ms === null
    ? '—'
    : ms < 1000
      ? `${ms} ms`
      : ms < 60_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`

type Run = RunSummary
/** The heading level a part of the explorer starts at: under the page's h1 or a section's h2. */
export type HeadingLevel = 2 | 3

const runColumns: DataColumn<Run>[] = [
  {
    id: 'started',
    header: 'Started',
    sortValue: (run) => run.startedAt,
    cell: (run) => (run.startedAt ? formatDateTime(run.startedAt) : '—'),
  },
  { id: 'state', header: 'State', sortValue: (run) => run.state.toLowerCase() },
  {
    id: 'duration',
    header: 'Duration',
    sortValue: (run) => run.durationMs,
    cell: (run) => duration(run.durationMs),
    align: 'right',
  },
  {
    id: 'rows',
    header: 'Rows written',
    align: 'right',
    cell: (run) =>
      run.outputs.map((o) => o.rowCount?.toLocaleString('en') ?? '—').join(', ') || '—',
  },
  {
    id: 'quality',
    header: 'Quality',
    cell: (run) =>
      run.quality.length === 0
        ? '—'
        : run.quality.map((q) => `${q.passed} passed, ${q.failed} failed`).join('; '),
  },
]

const deliveryColumn: DataColumn<Run> = {
  id: 'delivery',
  header: 'Sent on',
  cell: (run) =>
    (run.delivery ?? []).map((d) => (
      <Text key={d.transport} size="sm" title={d.lastError ?? undefined}>
        {`${d.transport}: ${
          d.pending === 0
            ? 'sent'
            : `${d.pending} waiting${d.lastError ? ` (${d.lastError.slice(0, 60)})` : ''}`
        }`}
      </Text>
    )),
}

function RunHistory({ job }: { job: { namespace: string; name: string } }) {
  const runs = useJobRuns(job)
  if (runs.isPending) return <Loading label="Loading runs…" />
  if (runs.isError) return <ErrorState title="Runs could not be loaded" error={runs.error} />
  if (runs.data.runs.length === 0) return <Text c="dimmed">No runs reported yet.</Text>
  // Only where our events also go to another consumer (HTTP, a file).
  const delivers = runs.data.runs.some((run) => (run.delivery?.length ?? 0) > 0)
  return (
    <DataTable
      caption={`Runs of ${job.name}`}
      columns={delivers ? [...runColumns, deliveryColumn] : runColumns}
      rows={runs.data.runs}
      rowKey={(run) => run.id}
    />
  )
}

/**
 * What one selected node is: its names, ways to widen the graph from it, its columns or latest
 * run, its facets and, for a job, its runs.
 */
export function NodeDetails({
  node,
  level,
  onExplore,
  onExpand,
}: {
  node: LineageNode
  level: HeadingLevel
  onExplore: (id: string) => void
  onExpand: (id: string, direction: 'upstream' | 'downstream') => void
}) {
  return (
    <Paper
      component="section"
      aria-label={`Details of ${node.data.name}`}
      withBorder
      p="md"
      radius="sm"
    >
      <Stack gap="sm">
        <div>
          <Title order={level} size="h4" style={{ overflowWrap: 'anywhere' }}>
            {node.type === 'JOB' ? 'Job' : 'Dataset'} {node.data.name}
          </Title>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            Namespace {node.data.namespace}
          </Text>
        </div>
        {node.type === 'DATASET' && node.data.namespace === OUR_NAMESPACE && (
          <Anchor component={Link} to={`/datasets/${node.data.name}`}>
            Open in the catalogue
          </Anchor>
        )}
        <Group gap="xs" wrap="wrap">
          <Button variant="default" size="sm" onClick={() => onExpand(node.id, 'upstream')}>
            Expand upstream
          </Button>
          <Button variant="default" size="sm" onClick={() => onExpand(node.id, 'downstream')}>
            Expand downstream
          </Button>
          <Button size="sm" onClick={() => onExplore(node.id)}>
            Explore from here
          </Button>
        </Group>
        {node.type === 'DATASET' && (node.data.fields?.length ?? 0) > 0 && (
          <Text>
            Columns:{' '}
            {node.data.fields?.map((f) => `${f.name}${f.type ? ` (${f.type})` : ''}`).join(', ')}
          </Text>
        )}
        {node.type === 'JOB' && node.data.latestRun && (
          <Text>
            Latest run: {node.data.latestRun.state.toLowerCase()},{' '}
            {duration(node.data.latestRun.durationMs)}
          </Text>
        )}
        <FacetList facets={node.data.facets} level={level === 2 ? 3 : 4} />
        {node.type === 'JOB' && <RunHistory job={node.data} />}
      </Stack>
    </Paper>
  )
}
