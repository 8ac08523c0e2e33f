import {
  type DatasetVisibility,
  datasetNodeId,
  type EntityId,
  entityKey,
  jobNodeId,
} from './entity-id.js'

/** The most steps a walk takes, whatever depth is asked. */
export const MAX_DEPTH = 20

/** A job reads (`input`) or writes (`output`) a dataset. */
export interface LineageEdge {
  job: EntityId
  dataset: EntityId
  direction: 'input' | 'output'
}

/** An edge as Marquez draws it: dataset to the job reading it, job to the dataset it writes. */
export interface GraphEdge {
  origin: string
  destination: string
}

/** The datasets and jobs one step of a walk starts from. */
export interface Frontier {
  datasets: readonly EntityId[]
  jobs: readonly EntityId[]
}

/** Where a walk finds its edges. */
export interface EdgeSource {
  /** Every edge that touches a dataset or a job of the frontier, both directions, in one go. */
  edgesOf(frontier: Frontier): Promise<readonly LineageEdge[]>
}

/** The dataset or job a walk starts from. */
export interface WalkStart {
  kind: 'dataset' | 'job'
  id: EntityId
}

/** What a walk reached, in the order it reached them, and the edges between them. */
export interface GraphWalk {
  datasets: EntityId[]
  jobs: EntityId[]
  edges: GraphEdge[]
}

/** An edge in Marquez's direction: what it is made from points at what it makes. */
export function graphEdge(edge: LineageEdge): GraphEdge {
  return edge.direction === 'output'
    ? { origin: jobNodeId(edge.job), destination: datasetNodeId(edge.dataset) }
    : { origin: datasetNodeId(edge.dataset), destination: jobNodeId(edge.job) }
}

/**
 * Breadth-first from one dataset or job, `depth` steps out (a step is one edge: dataset to job or
 * job to dataset; at most {@link MAX_DEPTH}), upstream and downstream at once. Datasets the caller
 * may not see are left out, with their edges, so the walk does not pass through them. Undefined
 * when the start itself is a dataset they may not see.
 */
export async function walkGraph(
  source: EdgeSource,
  start: WalkStart,
  options: { depth: number; visible: DatasetVisibility },
): Promise<GraphWalk | undefined> {
  const { visible } = options
  if (start.kind === 'dataset') {
    await visible.lookUp([start.id])
    if (!visible.sees(start.id)) return undefined
  }
  const datasets = new Map<string, EntityId>()
  const jobs = new Map<string, EntityId>()
  const edges = new Map<string, GraphEdge>()
  let frontier: Frontier =
    start.kind === 'dataset'
      ? { datasets: [start.id], jobs: [] }
      : { datasets: [], jobs: [start.id] }
  for (const d of frontier.datasets) datasets.set(entityKey(d), d)
  for (const j of frontier.jobs) jobs.set(entityKey(j), j)
  const steps = Math.min(options.depth, MAX_DEPTH)
  for (let step = 0; step < steps; step++) {
    if (frontier.datasets.length + frontier.jobs.length === 0) break
    const next = { datasets: [] as EntityId[], jobs: [] as EntityId[] }
    const found = await source.edgesOf(frontier)
    await visible.lookUp(found.map((edge) => edge.dataset))
    for (const edge of found) {
      if (!visible.sees(edge.dataset)) continue
      if (!datasets.has(entityKey(edge.dataset))) {
        datasets.set(entityKey(edge.dataset), edge.dataset)
        next.datasets.push(edge.dataset)
      }
      if (!jobs.has(entityKey(edge.job))) {
        jobs.set(entityKey(edge.job), edge.job)
        next.jobs.push(edge.job)
      }
      const drawn = graphEdge(edge)
      edges.set(`${drawn.origin}→${drawn.destination}`, drawn)
    }
    frontier = next
  }
  return { datasets: [...datasets.values()], jobs: [...jobs.values()], edges: [...edges.values()] }
}
