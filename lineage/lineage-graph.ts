import type { Kysely } from 'kysely'
import { type ColumnNode, columnDatasets, typeColumns, walkColumns } from './graph/column-walk.js'
import type { DatasetVisibility, EntityId } from './graph/entity-id.js'
import { type DatasetDetail, type GraphNode, graphNodes } from './graph/graph-nodes.js'
import {
  datasetDetail,
  datasetSummaries,
  edgeSource,
  jobSummaries,
  resolveNode,
} from './graph/graph-reads.js'
import { deliveryOfRuns, latestRuns, runsOfJob } from './graph/run-reads.js'
import { type RunDelivery, type RunSummary, seenRuns } from './graph/run-summary.js'
import { type SearchOptions, type SearchResult, searchLineage } from './graph/search-reads.js'
import { type WalkStart, walkGraph } from './graph/walk.js'
import type { LineageTables } from './lineage-tables.js'

// routes.ts and its test take these from here.
export type { GraphNode } from './graph/graph-nodes.js'
export { MAX_DEPTH } from './graph/walk.js'

/** Read side of the lineage store: the graph, column lineage and run history. */
export interface LineageGraph {
  /** The stored dataset or job a node id (`dataset:<ns>:<name>`, `job:<ns>:<name>`) names. */
  resolveNode(nodeId: string): Promise<WalkStart | undefined>
  /** Per run, how its events fare with each external transport (from the outbox). */
  deliveryOfRuns(runIds: string[]): Promise<Map<string, RunDelivery[]>>
  /**
   * The graph around a dataset or job, `depth` steps out (a step is one edge: dataset to job
   * or job to dataset), upstream and downstream, as Marquez answers it. Datasets the caller may
   * not see are left out, and the walk does not pass through them. Undefined for an unknown node.
   */
  graph(
    nodeId: string,
    options: { depth: number; visible: DatasetVisibility },
  ): Promise<{ graph: GraphNode[] } | undefined>
  /**
   * Which source columns feed a dataset's columns (or one column), transitively upstream,
   * with how each is made from the next (identity, transformation, aggregation; join keys
   * and filters as indirect).
   */
  columnLineage(
    dataset: EntityId,
    options: { field?: string; depth: number; visible: DatasetVisibility },
  ): Promise<{ graph: ColumnNode[] }>
  /**
   * One dataset as lineage knows it: schema and facets, versions written by runs, the jobs
   * reading and writing it, and its other names: the `symlinks` it lists and the datasets
   * that list it (how another tool's name for a file links to our catalogue entry).
   */
  dataset(id: EntityId): Promise<DatasetDetail | undefined>
  /**
   * Datasets and jobs whose name or namespace holds `q` (any case), names starting with it
   * first; the caller's hidden catalogue datasets are left out, counts included.
   */
  search(
    q: string,
    options: SearchOptions,
  ): Promise<{ totalCount: number; results: SearchResult[] }>
  /**
   * A job's runs, newest first: state, duration, rows written, quality, delivery. Outputs and
   * quality checks of datasets the caller may not see are left out.
   */
  runs(
    job: EntityId,
    options: { limit: number; offset: number; visible: DatasetVisibility },
  ): Promise<{ runs: (RunSummary & { delivery: RunDelivery[] })[]; totalCount: number }>
}

/** The lineage graph over the store's tables: the walks read their edges a frontier at a time. */
export function createLineageGraph(db: Kysely<LineageTables>): LineageGraph {
  const edges = edgeSource(db)
  return {
    resolveNode: (nodeId) => resolveNode(db, nodeId),
    deliveryOfRuns: (runIds) => deliveryOfRuns(db, runIds),

    async graph(nodeId, options) {
      const start = await resolveNode(db, nodeId)
      const walk = start && (await walkGraph(edges, start, options))
      if (!walk) return undefined
      const [datasets, jobs, latest] = await Promise.all([
        datasetSummaries(db, walk.datasets),
        jobSummaries(db, walk.jobs),
        latestRuns(db, walk.jobs),
      ])
      const seen = await seenRuns([...latest.values()], options.visible)
      const runs = new Map([...latest.keys()].map((key, i) => [key, seen[i] as RunSummary]))
      return { graph: graphNodes(walk.edges, datasets, jobs, runs) }
    },

    async columnLineage(dataset, options) {
      const columns = await walkColumns(edges, { dataset, field: options.field }, options)
      const schemas = await datasetSummaries(db, columnDatasets(columns))
      return { graph: typeColumns(columns, schemas) }
    },

    dataset: (id) => datasetDetail(db, id),

    search: (q, options) => searchLineage(db, q, options),

    async runs(job, options) {
      const found = await runsOfJob(db, job, options)
      const runs = await seenRuns(found.runs, options.visible)
      const { totalCount } = found
      const delivery = await deliveryOfRuns(
        db,
        runs.map((r) => r.id),
      )
      return {
        runs: runs.map((run) => ({ ...run, delivery: delivery.get(run.id) ?? [] })),
        totalCount,
      }
    },
  }
}
