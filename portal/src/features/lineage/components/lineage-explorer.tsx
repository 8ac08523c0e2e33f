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
  useJobRuns,
  useLineageGraph,
} from '../api/use-lineage.js'
import { FacetList } from './facet-list.js'
import { LineageGraph } from './lineage-graph.js'
import { LineageSearch } from './lineage-search.js'

const OUR_NAMESPACE = 'gov-data-portal'

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

const duration = (ms: number | null) =>
  ms === null
    ? '—'
    : ms < 1000
      ? `${ms} ms`
      : ms < 60_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`

function RunHistory({ job }: { job: { namespace: string; name: string } }) {
  const runs = useJobRuns(job)
  if (runs.isPending) return <Loading label="Loading runs…" />
  if (runs.isError) return <ErrorState title="Runs could not be loaded" error={runs.error} />
  if (runs.data.runs.length === 0) return <p className="note">No runs reported yet.</p>
  // Only where our events also go to another consumer (HTTP, a file).
  const delivers = runs.data.runs.some((run) => (run.delivery?.length ?? 0) > 0)
  return (
    <table aria-label={`Runs of ${job.name}`}>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">State</th>
          <th scope="col">Duration</th>
          <th scope="col">Rows written</th>
          <th scope="col">Quality</th>
          {delivers && <th scope="col">Sent on</th>}
        </tr>
      </thead>
      <tbody>
        {runs.data.runs.map((run) => (
          <tr key={run.id}>
            <td>{run.startedAt ? new Date(run.startedAt).toLocaleString('en-SG') : '—'}</td>
            <td>{run.state.toLowerCase()}</td>
            <td>{duration(run.durationMs)}</td>
            <td>
              {run.outputs.map((o) => o.rowCount?.toLocaleString('en') ?? '—').join(', ') || '—'}
            </td>
            <td>
              {run.quality.length === 0
                ? '—'
                : run.quality.map((q) => `${q.passed} passed, ${q.failed} failed`).join('; ')}
            </td>
            {delivers && (
              <td>
                {(run.delivery ?? []).map((d) => (
                  <div key={d.transport} title={d.lastError ?? undefined}>
                    {d.transport}:{' '}
                    {d.pending === 0
                      ? 'sent'
                      : `${d.pending} waiting${d.lastError ? ` (${d.lastError.slice(0, 60)})` : ''}`}
                  </div>
                ))}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function NodeDetails({
  node,
  onExplore,
  onExpand,
}: {
  node: LineageNode
  onExplore: (id: string) => void
  onExpand: (id: string, direction: 'upstream' | 'downstream') => void
}) {
  return (
    <section className="lineage-details" aria-label={`Details of ${node.data.name}`}>
      <h3>
        {node.type === 'JOB' ? 'Job' : 'Dataset'} {node.data.name}
      </h3>
      <p className="note">Namespace {node.data.namespace}</p>
      {node.type === 'DATASET' && node.data.namespace === OUR_NAMESPACE && (
        <p>
          <Link to={`/datasets/${node.data.name}`}>Open in the catalogue</Link>
        </p>
      )}
      <div className="lineage-graph-tools">
        <button type="button" onClick={() => onExpand(node.id, 'upstream')}>
          Expand upstream
        </button>
        <button type="button" onClick={() => onExpand(node.id, 'downstream')}>
          Expand downstream
        </button>
        <button type="button" onClick={() => onExplore(node.id)}>
          Explore from here
        </button>
      </div>
      {node.type === 'DATASET' && (node.data.fields?.length ?? 0) > 0 && (
        <p>
          Columns:{' '}
          {node.data.fields?.map((f) => `${f.name}${f.type ? ` (${f.type})` : ''}`).join(', ')}
        </p>
      )}
      {node.type === 'JOB' && node.data.latestRun && (
        <p>
          Latest run: {node.data.latestRun.state.toLowerCase()},{' '}
          {duration(node.data.latestRun.durationMs)}
        </p>
      )}
      <FacetList facets={node.data.facets} />
      {node.type === 'JOB' && <RunHistory job={node.data} />}
    </section>
  )
}

/**
 * Where data comes from and goes: the graph around one dataset or job, with a depth to widen
 * it, a node's facets and run history when clicked, and, for a chosen column, the columns it is
 * made from highlighted, with how each is used.
 */
export function LineageExplorer({
  nodeId,
  onExplore,
}: {
  nodeId: string
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

  return (
    <div className="lineage-explorer">
      <div className="lineage-controls">
        <label>
          Depth{' '}
          <select value={depth} onChange={(event) => setDepth(Number(event.target.value))}>
            {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
              <option key={d} value={d}>
                {d} {d === 1 ? 'step' : 'steps'}
              </option>
            ))}
          </select>
        </label>
        {focusNode?.type === 'DATASET' && (focusNode.data.fields?.length ?? 0) > 0 && (
          <label>
            Trace a column{' '}
            <select value={column} onChange={(event) => setColumn(event.target.value)}>
              <option value="">(all)</option>
              {focusNode.data.fields?.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <LineageGraph
        nodes={nodes}
        focus={nodeId}
        selected={selected?.id}
        highlighted={highlighted}
        onSelect={setSelected}
      />
      {column && columns.isPending && <Loading label="Tracing the column…" />}
      {column && columns.data && (
        <section aria-label={`Where ${column} comes from`}>
          <h3>Where {column} comes from</h3>
          {sources.length === 0 ? (
            <p className="note">No column lineage reported for this column.</p>
          ) : (
            <ul>
              {sources.map((s) => (
                <li
                  key={`${s.namespace}:${s.dataset}:${s.field}:${s.transformations.map((t) => t.subtype).join()}`}
                >
                  {s.dataset}.{s.field}:{' '}
                  {s.transformations
                    .map(
                      (t) =>
                        `${t.type.toLowerCase()} ${t.subtype.toLowerCase()}${t.masking ? ' (masked)' : ''}`,
                    )
                    .join(', ')}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {expandError && <ErrorState title="That node could not be expanded" error={expandError} />}
      {selected && (
        <NodeDetails
          node={nodes.find((n) => n.id === selected.id) ?? selected}
          onExplore={onExplore}
          onExpand={(id, direction) => void expand(id, direction)}
        />
      )}
    </div>
  )
}

/** The lineage tab of a dataset page: its graph, with a link to explore further. */
export function DatasetLineage({ slug }: { slug: string }) {
  const navigate = useNavigate()
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage</h2>
      <p className="note">
        <Link to={`/lineage?node=${encodeURIComponent(`dataset:${OUR_NAMESPACE}:${slug}`)}`}>
          Open the lineage explorer
        </Link>
      </p>
      <LineageExplorer
        nodeId={`dataset:${OUR_NAMESPACE}:${slug}`}
        onExplore={(id) => navigate(`/lineage?node=${encodeURIComponent(id)}`)}
      />
    </section>
  )
}

/** The lineage explorer page: any dataset or job, by its node id in the address. */
export function LineagePage() {
  const [params, setParams] = useSearchParams()
  const node = params.get('node')
  return (
    <main>
      <h1>Lineage explorer</h1>
      <LineageSearch />
      {node ? (
        <LineageExplorer key={node} nodeId={node} onExplore={(id) => setParams({ node: id })} />
      ) : (
        <EmptyState title="Choose a dataset or job">
          Find one above, or open a dataset from the <Link to="/">catalogue</Link> and follow its
          lineage from there.
        </EmptyState>
      )}
    </main>
  )
}
