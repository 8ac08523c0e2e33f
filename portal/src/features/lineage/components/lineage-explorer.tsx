import { Anchor, Group, List, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core'
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
import { LineageGraph } from './lineage-graph.js'
import { LineageSearch } from './lineage-search.js'
import { type HeadingLevel, NodeDetails, OUR_NAMESPACE } from './node-details.js'

/** Graphs merged by node id, each node keeping every edge any of them knows. */
function mergeGraphs(graphs: LineageNode[][]): LineageNode[] {
  const merged = new Map<string, LineageNode>()
  const key = (e: { origin: string; destination: string }) => `${e.origin}→${e.destination}`
  for (const node of graphs.flat()) {
    const found = merged.get(node.id)
    if (!found) {
      merged.set(node.id, { ...node, inEdges: [...node.inEdges], outEdges: [...node.outEdges] })
      continue
    }
    for (const [list, more] of [
      [found.inEdges, node.inEdges],
      [found.outEdges, node.outEdges],
    ] as const)
      for (const edge of more) if (!list.some((e) => key(e) === key(edge))) list.push(edge)
  }
  return [...merged.values()]
}

/** The nodes reached from `start` by walking only one way (upstream or downstream). */
function oneWay(nodes: LineageNode[], start: string, direction: 'upstream' | 'downstream') {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const reached = new Set([start])
  const queue = [start]
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const node = byId.get(id)
    const next =
      direction === 'upstream'
        ? (node?.inEdges ?? []).map((e) => e.origin)
        : (node?.outEdges ?? []).map((e) => e.destination)
    for (const n of next)
      if (!reached.has(n) && byId.has(n)) {
        reached.add(n)
        queue.push(n)
      }
  }
  return nodes.filter((n) => reached.has(n.id))
}

/**
 * Where data comes from and goes: the graph around one dataset or job, with a depth to widen
 * it, a node's facets and run history when clicked, and, for a chosen column, the columns it is
 * made from highlighted, with how each is used.
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
  const graph = useLineageGraph(nodeId, depth)
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
  const focusNode = graph.data?.graph.find((n) => n.id === nodeId)
  const datasetName =
    focusNode?.type === 'DATASET' ? `${focusNode.data.namespace}:${focusNode.data.name}` : undefined
  const columns = useColumnLineage(
    column && datasetName ? `datasetField:${datasetName}:${column}` : undefined,
  )

  // Stable between renders, so selecting a node does not lay the graph out again.
  const nodes = useMemo(
    () => (graph.data ? mergeGraphs([graph.data.graph, ...expanded]) : []),
    [graph.data, expanded],
  )
  const sources = useMemo(
    () => columns.data?.graph.flatMap((n) => n.data.inputFields) ?? [],
    [columns.data],
  )
  // The datasets a chosen column flows through, and the jobs between them.
  const highlighted = useMemo(() => {
    const lit = new Set<string>()
    if (!columns.data || !datasetName) return lit
    const touched = new Set([datasetName, ...sources.map((s) => `${s.namespace}:${s.dataset}`)])
    for (const node of nodes)
      if (node.type === 'DATASET' && touched.has(`${node.data.namespace}:${node.data.name}`))
        lit.add(node.id)
    for (const node of nodes)
      if (
        node.type === 'JOB' &&
        node.inEdges.some((e) => lit.has(e.origin)) &&
        node.outEdges.some((e) => lit.has(e.destination))
      )
        lit.add(node.id)
    return lit
  }, [nodes, sources, columns.data, datasetName])

  if (graph.isPending) return <Loading label="Tracing lineage…" />
  if (graph.isError)
    return graph.error instanceof ApiError && graph.error.status === 404 ? (
      <EmptyState title="No lineage yet">
        No run has reported reading or writing this yet.
      </EmptyState>
    ) : (
      <ErrorState title="Lineage could not be loaded" error={graph.error} />
    )

  const fields = focusNode?.type === 'DATASET' ? (focusNode.data.fields ?? []) : []
  return (
    <Stack gap="md">
      <Group gap="md" wrap="wrap" align="flex-end">
        <NativeSelect
          label="Depth"
          description="How many steps away to show"
          value={String(depth)}
          onChange={(event) => setDepth(Number(event.currentTarget.value))}
          data={[1, 2, 3, 4, 5, 6, 8, 10].map((d) => ({
            value: String(d),
            label: `${d} ${d === 1 ? 'step' : 'steps'}`,
          }))}
        />
        {fields.length > 0 && (
          <NativeSelect
            label="Trace a column"
            description="Highlight where it comes from"
            value={column}
            onChange={(event) => setColumn(event.currentTarget.value)}
            data={[
              { value: '', label: '(all)' },
              ...fields.map((f) => ({ value: f.name, label: f.name })),
            ]}
          />
        )}
      </Group>
      <LineageGraph
        nodes={nodes}
        focus={nodeId}
        selected={selected?.id}
        highlighted={highlighted}
        onSelect={setSelected}
      />
      {column && columns.isPending && <Loading label="Tracing the column…" />}
      {column && columns.data && (
        <Paper component="section" aria-label={`Where ${column} comes from`} withBorder p="md">
          <Title order={level} size="h4" mb="xs">
            Where {column} comes from
          </Title>
          {sources.length === 0 ? (
            <Text c="dimmed">No column lineage reported for this column.</Text>
          ) : (
            <List spacing={4}>
              {sources.map((s) => (
                <List.Item
                  key={`${s.namespace}:${s.dataset}:${s.field}:${s.transformations.map((t) => t.subtype).join()}`}
                >
                  {`${s.dataset}.${s.field}: ${s.transformations
                    .map(
                      (t) =>
                        `${t.type.toLowerCase()} ${t.subtype.toLowerCase()}${t.masking ? ' (masked)' : ''}`,
                    )
                    .join(', ')}`}
                </List.Item>
              ))}
            </List>
          )}
        </Paper>
      )}
      {expandError && <ErrorState title="That node could not be expanded" error={expandError} />}
      {selected && (
        <NodeDetails
          node={nodes.find((n) => n.id === selected.id) ?? selected}
          level={level}
          onExplore={onExplore}
          onExpand={(id, direction) => void expand(id, direction)}
        />
      )}
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
