import { Hono } from 'hono'
import { NotFoundError } from '../core/index.js'
import { assertCan, type RouteEnv, serve } from '../identity/index.js'
import { type CatalogueView, catalogueView, type LookUpCatalogue } from './catalogue-view.js'
import type { TransportStatus } from './emitter.js'
import { type IngestRouteDeps, ingestRoutes } from './ingest-routes.js'
import {
  columnLineage,
  jobRuns,
  lineageDataset,
  lineageGraph,
  lineageSearch,
  transportStatus,
} from './lineage-api.js'
import type { LineageGraph } from './lineage-graph.js'
import { namespaceRoutes } from './namespace-routes.js'
import { PORTAL_NAMESPACE } from './producer.js'

export interface LineageRouteDeps extends IngestRouteDeps {
  graph: LineageGraph
  /** Which of some slugs are catalogue datasets a caller may discover: what lineage shows of ours. */
  lookUpCatalogue: LookUpCatalogue
  /** Where our own events go and how that is going. */
  transports: () => Promise<TransportStatus[]>
}

/**
 * How a lineage dataset relates to our catalogue: linked where it is one of ours, or names one of
 * ours among its aliases (a `symlinks` entry, either way); otherwise a lineage-only entry.
 */
function catalogueLink(
  catalogue: { namespace: string; opens: CatalogueView['opens'] },
  id: { namespace: string; name: string },
  aliases: readonly { namespace: string; name: string }[],
) {
  const ours = [id, ...aliases].find(
    (d) => d.namespace === catalogue.namespace && catalogue.opens(d.name),
  )
  return { catalogue: ours ? { slug: ours.name } : null, lineageOnly: !ours }
}

/** Marquez's read API: the graph, column lineage, search, a dataset and a job's runs. */
const readRoutes = (deps: LineageRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(lineageGraph, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const { nodeId, depth } = c.req.valid('query')
        const { visible } = catalogueView(deps.lookUpCatalogue, c.get('ability'))
        const graph = await deps.graph.graph(nodeId, { depth, visible })
        if (!graph) throw new NotFoundError(`No lineage node ${nodeId}`)
        return c.json(graph, 200)
      }),
    )
    .route(
      '/',
      serve(columnLineage, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const { nodeId, depth } = c.req.valid('query')
        const { visible } = catalogueView(deps.lookUpCatalogue, c.get('ability'))
        let target: { dataset: { namespace: string; name: string }; field?: string } | undefined
        if (nodeId.startsWith('dataset:')) {
          const node = await deps.graph.resolveNode(nodeId)
          if (node?.kind === 'dataset') target = { dataset: node.id }
        } else {
          // datasetField:<namespace>:<name>:<field>: the field is after the last colon.
          const rest = nodeId.slice('datasetField:'.length)
          const at = rest.lastIndexOf(':')
          const node = await deps.graph.resolveNode(`dataset:${rest.slice(0, at)}`)
          if (node?.kind === 'dataset') target = { dataset: node.id, field: rest.slice(at + 1) }
        }
        if (target) await visible.lookUp([target.dataset])
        if (!target || !visible.sees(target.dataset))
          throw new NotFoundError(`No lineage node ${nodeId}`)
        return c.json(
          await deps.graph.columnLineage(target.dataset, { field: target.field, depth, visible }),
          200,
        )
      }),
    )
    .route(
      '/',
      serve(lineageSearch, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const { q, filter, limit } = c.req.valid('query')
        const view = catalogueView(deps.lookUpCatalogue, c.get('ability'))
        const found = await deps.graph.search(q, {
          filter,
          limit,
          hidden: { namespace: PORTAL_NAMESPACE, among: view.hiddenAmong },
        })
        await view.visible.lookUp(
          found.results.flatMap((r) => (r.type === 'DATASET' ? [r, ...r.aliases] : [])),
        )
        // The search left the hidden out in SQL; a dataset whose lineage arrived between its
        // statements is left out here, and uncounted.
        const shown = found.results.filter((r) => r.type !== 'DATASET' || view.visible.sees(r))
        const catalogue = { namespace: PORTAL_NAMESPACE, opens: view.opens }
        return c.json(
          {
            totalCount: found.totalCount - (found.results.length - shown.length),
            results: shown.map(({ aliases, ...result }) =>
              result.type === 'DATASET'
                ? { ...result, ...catalogueLink(catalogue, result, aliases) }
                : { ...result, catalogue: null, lineageOnly: null },
            ),
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(lineageDataset, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const id = c.req.valid('param')
        const { visible, opens } = catalogueView(deps.lookUpCatalogue, c.get('ability'))
        await visible.lookUp([id])
        const dataset = visible.sees(id) ? await deps.graph.dataset(id) : undefined
        if (!dataset) throw new NotFoundError(`No dataset ${id.name} in namespace ${id.namespace}`)
        await visible.lookUp(dataset.aliases)
        return c.json(
          {
            ...dataset,
            aliases: dataset.aliases.filter(visible.sees),
            ...catalogueLink({ namespace: PORTAL_NAMESPACE, opens }, id, dataset.aliases),
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(jobRuns, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const { namespace, job: name } = c.req.valid('param')
        const job = { namespace, name }
        const node = await deps.graph.resolveNode(`job:${job.namespace}:${job.name}`)
        if (!node) throw new NotFoundError(`No job ${job.name} in namespace ${job.namespace}`)
        const { visible } = catalogueView(deps.lookUpCatalogue, c.get('ability'))
        return c.json(await deps.graph.runs(job, { ...c.req.valid('query'), visible }), 200)
      }),
    )

/**
 * The lineage API's routes, served from their declarations (`LINEAGE_API`, lineage-api.ts):
 * ingest, the namespace registry, our own transports' status, and the Marquez-shaped reads.
 */
export const lineageRoutes = (deps: LineageRouteDeps) =>
  new Hono<RouteEnv>()
    .route('/', ingestRoutes(deps))
    .route('/', namespaceRoutes(deps))
    .route(
      '/',
      serve(transportStatus, async (c) => {
        // For those who run producers: whether our own events are reaching their consumers.
        assertCan(c.get('ability'), 'create', 'LineageEvent')
        return c.json({ ok: true as const, data: await deps.transports() }, 200)
      }),
    )
    .route('/', readRoutes(deps))
