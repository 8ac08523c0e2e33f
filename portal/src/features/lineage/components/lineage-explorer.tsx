import { Anchor, Grid, Group, NativeSelect, Stack, Text, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { ApiError } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'
import {
  type LineageNode,
  readLineage,
  useColumnLineage,
  useLineageGraph,
} from '../api/use-lineage.js'
import { EMPTY_TRACE, traceColumns, traceHops } from './column-trace.js'
import { ColumnTracePanel } from './column-trace-panel.js'
import { LineageGraph } from './lineage-graph.js'
import { LineageSearch } from './lineage-search.js'
import { mergeGraphs, oneWay } from './merge-graphs.js'
import { type HeadingLevel, NodeDetails, OUR_NAMESPACE } from './node-details.js'

const DEPTHS = [1, 2, 3, 4, 5, 6, 8, 10]

/**
 * Where data comes from and goes: the graph around one dataset or job, with a depth to widen
 * it, a node's facets and run history when clicked (beside the graph on a wide screen), and,
 * for a chosen column, its way back through every job to its sources drawn column to column,
 * the graph deepened as far as the trace goes.
 */
export function LineageExplorer({
  nodeId,
  level,
  onExplore,
}: {
  nodeId: string
  /** The level of the explorer's own headings. */
  level: HeadingLevel
  onExplore: (id: string) => void
}) {
  const [depth, setDepth] = useState(2)
  const [selected, setSelected] = useState<LineageNode | undefined>(undefined)
  const [column, setColumn] = useState('')
  const datasetName = nodeId.startsWith('dataset:') ? nodeId.slice('dataset:'.length) : undefined
  const startColumn = column && datasetName ? `datasetField:${datasetName}:${column}` : undefined
  const columns = useColumnLineage(startColumn)
  const traced = startColumn && columns.data ? columns.data.graph : undefined
  // Each hop of the trace is two steps of the graph (dataset, job, dataset).
  const shown = Math.min(20, Math.max(depth, traced ? 2 * traceHops(traced, startColumn) : 0))
  const graph = useLineageGraph(nodeId, shown)
  const api = useApi()
  const queryClient = useQueryClient()
  const [expanded, setExpanded] = useState<LineageNode[][]>([])
  const [expandError, setExpandError] = useState<Error | undefined>(undefined)
  const expand = async (id: string, direction: 'upstream' | 'downstream') => {
    setExpandError(undefined)
    try {
      const around = await queryClient.fetchQuery({
        queryKey: ['lineage', 'graph', id, 2],
        queryFn: async () =>
          readLineage<{ graph: LineageNode[] }>(
            await api.api.v1.lineage.$get({ query: { nodeId: id, depth: '2' } }),
          ),
      })
      setExpanded((graphs) => [...graphs, oneWay(around.graph, id, direction)])
    } catch (error) {
      setExpandError(error instanceof Error ? error : new Error(String(error)))
    }
  }

  // Stable between renders, so selecting a node does not lay the graph out again.
  const nodes = useMemo(
    () => (graph.data ? mergeGraphs([graph.data.graph, ...expanded]) : []),
    [graph.data, expanded],
  )
  const trace = useMemo(
    () => (traced ? traceColumns(traced, nodes, startColumn) : EMPTY_TRACE),
    [traced, nodes, startColumn],
  )
  const start = useMemo(
    () => (column && datasetName ? { node: nodeId, field: column } : undefined),
    [column, datasetName, nodeId],
  )

  if (graph.isPending) return <Loading label="Tracing lineage…" />
  if (graph.isError)
    return graph.error instanceof ApiError && graph.error.status === 404 ? (
      <EmptyState title="No lineage yet">
        No run has reported reading or writing this yet.
      </EmptyState>
    ) : (
      <ErrorState title="Lineage could not be loaded" error={graph.error} />
    )

  const focusNode = graph.data.graph.find((n) => n.id === nodeId)
  const fields = focusNode?.type === 'DATASET' ? (focusNode.data.fields ?? []) : []
  return (
    <Stack gap="md">
      <Group gap="md" wrap="wrap" align="flex-end">
        <NativeSelect
          label="Depth"
          description="How many steps away to show"
          value={String(depth)}
          onChange={(event) => setDepth(Number(event.currentTarget.value))}
          data={DEPTHS.map((d) => ({
            value: String(d),
            label: `${d} ${d === 1 ? 'step' : 'steps'}`,
          }))}
        />
        {fields.length > 0 && (
          <NativeSelect
            label="Trace a column"
            description="Follow it back to where it comes from"
            value={column}
            onChange={(event) => setColumn(event.currentTarget.value)}
            data={[
              { value: '', label: '(none)' },
              ...fields.map((f) => ({ value: f.name, label: f.name })),
            ]}
          />
        )}
        {shown > depth && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {`Showing ${shown} steps, to follow ${column} to its sources.`}
          </Text>
        )}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <LineageGraph
            nodes={nodes}
            focus={nodeId}
            selected={selected?.id}
            highlighted={trace.highlighted}
            trace={trace}
            start={start}
            onSelect={setSelected}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          {/* Beside the graph on a wide screen, and scrolls on its own there. */}
          <Stack
            gap="md"
            mah={{ md: 'calc(100vh - 2rem)' }}
            style={{ position: 'sticky', top: '1rem', overflowY: 'auto' }}
          >
            {column && columns.isPending && <Loading label="Tracing the column…" />}
            {column && columns.isError && (
              <ErrorState title="The column could not be traced" error={columns.error} />
            )}
            {column && columns.data && (
              <ColumnTracePanel column={column} trace={trace} level={level} />
            )}
            {expandError && (
              <ErrorState title="That node could not be expanded" error={expandError} />
            )}
            {selected ? (
              <NodeDetails
                node={nodes.find((n) => n.id === selected.id) ?? selected}
                level={level}
                onExplore={onExplore}
                onExpand={(id, direction) => void expand(id, direction)}
              />
            ) : (
              <Text c="dimmed">Select a dataset or job in the graph to see its details here.</Text>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

/** The lineage tab of a dataset page: its graph, with a link to explore further. */
export function DatasetLineage({ slug }: { slug: string }) {
  const navigate = useNavigate()
  const nodeId = `dataset:${OUR_NAMESPACE}:${slug}`
  return (
    <Stack component="section" aria-labelledby="lineage-heading" gap="sm">
      <Title order={2} id="lineage-heading">
        Lineage
      </Title>
      <Text c="dimmed">
        Where this dataset's data comes from and where it goes. Select a dataset or job to see its
        details.{' '}
        <Anchor component={Link} to={`/lineage?node=${encodeURIComponent(nodeId)}`}>
          Open the lineage explorer
        </Anchor>
      </Text>
      <LineageExplorer
        nodeId={nodeId}
        level={3}
        onExplore={(id) => navigate(`/lineage?node=${encodeURIComponent(id)}`)}
      />
    </Stack>
  )
}

/** The lineage explorer page: any dataset or job, by its node id in the address. */
export function LineagePage() {
  const [params, setParams] = useSearchParams()
  const node = params.get('node')
  return (
    <Stack gap="md">
      <Title order={1}>Lineage explorer</Title>
      <Text c="dimmed">
        Follow data from where it starts to where it is used, across our catalogue and other systems
        that report lineage.
      </Text>
      <LineageSearch />
      {node ? (
        <LineageExplorer
          key={node}
          nodeId={node}
          level={2}
          onExplore={(id) => setParams({ node: id })}
        />
      ) : (
        <EmptyState title="Choose a dataset or job">
          Find one above, or open a dataset from the{' '}
          <Anchor component={Link} to="/">
            catalogue
          </Anchor>{' '}
          and follow its lineage from there.
        </EmptyState>
      )}
    </Stack>
  )
}
