import type { Facets } from '../events.js'
import { datasetNodeId, type EntityId, entityKey, jobNodeId } from './entity-id.js'
import type { RunSummary } from './run-summary.js'
import type { GraphEdge } from './walk.js'

/** A column a dataset's `schema` facet lists. */
export interface SchemaField {
  name: string
  /** null: the facet gives none. */
  type: string | null
  description: string | null
}

/** What every answer says of a dataset. */
export interface DatasetSummary {
  id: EntityId
  namespace: string
  name: string
  fields: SchemaField[]
  facets: Facets
  createdAt: Date
  updatedAt: Date
}

/** One dataset as lineage knows it, with its other names (see `aliasesOf`). */
export interface DatasetDetail extends DatasetSummary {
  versions: { version: string; runId: string; createdAt: Date }[]
  writtenBy: EntityId[]
  readBy: EntityId[]
  aliases: EntityId[]
}

export interface DatasetNodeData extends DatasetSummary {
  type: 'DATASET'
}

/** A job as it is stored. */
export interface JobSummary {
  id: EntityId
  facets: Facets
}

export interface JobNodeData {
  id: EntityId
  namespace: string
  name: string
  type: string
  facets: Facets
  latestRun: RunSummary | null
}

/** A node of the graph, shaped as Marquez's `GET /api/v1/lineage` answers. */
export type GraphNode =
  | {
      id: string
      type: 'DATASET'
      data: DatasetNodeData
      inEdges: GraphEdge[]
      outEdges: GraphEdge[]
    }
  | { id: string; type: 'JOB'; data: JobNodeData; inEdges: GraphEdge[]; outEdges: GraphEdge[] }

/** The columns a dataset's `schema` facet lists (none without one). */
export function schemaFields(facets: Facets): SchemaField[] {
  const schema = facets.schema as
    | { fields?: { name: string; type?: string; description?: string }[] }
    | undefined
  return (schema?.fields ?? []).map((f) => ({
    name: f.name,
    type: f.type ?? null,
    description: f.description ?? null,
  }))
}

/**
 * The graph's nodes: the datasets, then the jobs (each with its latest run), in the order given,
 * each with the edges into and out of it.
 */
export function graphNodes(
  edges: readonly GraphEdge[],
  datasets: readonly DatasetSummary[],
  jobs: readonly JobSummary[],
  latestRuns: ReadonlyMap<string, RunSummary>,
): GraphNode[] {
  const edgesOf = (id: string) => ({
    inEdges: edges.filter((e) => e.destination === id),
    outEdges: edges.filter((e) => e.origin === id),
  })
  return [
    ...datasets.map(
      (dataset): GraphNode => ({
        id: datasetNodeId(dataset.id),
        type: 'DATASET',
        data: { ...dataset, type: 'DATASET' },
        ...edgesOf(datasetNodeId(dataset.id)),
      }),
    ),
    ...jobs.map((job): GraphNode => {
      const id = { namespace: job.id.namespace, name: job.id.name }
      const jobType = job.facets.jobType as { jobType?: string } | undefined
      return {
        id: jobNodeId(id),
        type: 'JOB',
        data: {
          id,
          ...id,
          type: jobType?.jobType ?? 'JOB',
          facets: job.facets,
          latestRun: latestRuns.get(entityKey(id)) ?? null,
        },
        ...edgesOf(jobNodeId(id)),
      }
    }),
  ]
}
