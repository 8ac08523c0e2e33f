import { gunzipSync } from 'node:zlib'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../core/index.js'
import { type AppAbility, actorOf, asSubject, assertCan, type RouteEnv } from '../identity/index.js'
import { contentEncodingOf, validate } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { type CatalogueView, catalogueView, type ListCatalogue } from './catalogue-view.js'
import type { TransportStatus } from './emitter.js'
import { isRunEvent, type LineageEvent } from './events.js'
import { type LineageGraph, MAX_DEPTH } from './lineage-graph.js'
import type { LineageStore } from './lineage-store.js'
import {
  eventSummary,
  namespacesWritten,
  platformInputs,
  refusalsOf,
} from './namespace-ownership.js'
import { type NamespaceRouteDeps, namespaceRoutes } from './namespace-routes.js'
import { PORTAL_NAMESPACE } from './producer.js'
import type { EventValidator } from './validate-event.js'

export interface LineageRouteDeps extends NamespaceRouteDeps {
  store: LineageStore
  graph: LineageGraph
  validator: EventValidator
  /** The catalogue's datasets a caller may discover: what lineage shows of our catalogue. */
  listCatalogue: ListCatalogue
  /** Where our own events go and how that is going. */
  transports: () => Promise<TransportStatus[]>
}

/**
 * What one ingest request may carry. The server refuses a larger body before it is read (its
 * body limit for these routes comes from here); the count of a batch is checked below.
 * Events' schema and column-lineage facets grow with a table's width; a typical run event is
 * about 1.6 KB, so a full batch fits in 16 MB.
 */
export const LINEAGE_INGEST_LIMITS = {
  eventBytes: 5_000_000,
  batchBytes: 16_000_000,
  batchEvents: 10_000,
} as const
const MAX_BATCH_EVENTS = LINEAGE_INGEST_LIMITS.batchEvents

/** Room for `datasetField:` with a namespace, a dataset name and a field, each a URL's length. */
const MAX_NODE_ID = 3 * MAX_LENGTH.url + 32

export const graphQuery = z.strictObject({
  nodeId: z
    .string()
    .max(MAX_NODE_ID)
    .regex(/^(dataset|job):.+:.+$/, 'nodeId: dataset:<namespace>:<name> or job:<namespace>:<name>')
    .describe(
      'The node to start from, as Marquez names it: `dataset:<namespace>:<name>` or `job:<namespace>:<name>`',
    ),
  depth: z.coerce
    .number()
    .int('depth: a whole number')
    .min(0)
    .max(MAX_DEPTH, `depth: at most ${MAX_DEPTH}`)
    .default(2)
    .describe('How many edges out to walk, upstream and downstream (a dataset-to-job edge is one)'),
})

export const columnLineageQuery = z.strictObject({
  nodeId: z
    .string()
    .max(MAX_NODE_ID)
    .regex(
      /^(dataset|datasetField):.+:.+$/,
      'nodeId: dataset:<namespace>:<name> or datasetField:<namespace>:<name>:<field>',
    )
    .describe(
      'A dataset (all its columns) or one column: `datasetField:<namespace>:<name>:<field>`',
    ),
  depth: z.coerce.number().int().min(1).max(MAX_DEPTH).default(MAX_DEPTH),
})

export const lineageSearchQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1, 'q: say what to look for')
    .max(200, 'q: at most 200 characters')
    .describe('Part of a dataset or job name or namespace, any case'),
  filter: z
    .enum(['DATASET', 'JOB'], 'filter: DATASET or JOB')
    .optional()
    .describe('Only datasets, or only jobs'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})

export const runsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
})

/** The body as JSON, gunzipped when the client says it is (OpenLineage clients may compress). */
async function jsonBody(c: Context<RouteEnv>): Promise<unknown> {
  const raw = new Uint8Array(await c.req.arrayBuffer())
  const encoding = contentEncodingOf(c.req.header('content-encoding'))
  if (!encoding)
    throw new InvalidInputError('Send the body plain or compressed with gzip (Content-Encoding)')
  let bytes: Uint8Array = raw
  if (encoding === 'gzip') {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: LINEAGE_INGEST_LIMITS.batchBytes })
    } catch {
      throw new InvalidInputError(
        `The body is not gzip, or is over ${LINEAGE_INGEST_LIMITS.batchBytes / 1_000_000} MB decompressed`,
      )
    }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new InvalidInputError('The body is not UTF-8: send the event as UTF-8 JSON')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidInputError('The body is not JSON: send one OpenLineage event as a JSON object')
  }
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

/**
 * The events of a request the caller may not send (see {@link refusalsOf}): every namespace they
 * write must be registered to the caller's agency, no run may be moved to another job, and an
 * input in the platform's namespaces must be a dataset it published. Three queries for the whole
 * request, whatever its size.
 */
async function refusedEvents(
  deps: LineageRouteDeps,
  ability: AppAbility,
  events: readonly LineageEvent[],
) {
  const namespaces = events.flatMap((event) => namespacesWritten(event).map((w) => w.namespace))
  const runIds = events.flatMap((event) => (isRunEvent(event) ? [event.run.runId] : []))
  const [owners, runJobs, known] = await Promise.all([
    deps.namespaces.ownersOf(namespaces),
    deps.store.jobsOfRuns(runIds),
    deps.store.knownDatasets(events.flatMap(platformInputs)),
  ])
  return refusalsOf(
    events,
    owners,
    runJobs,
    (agency) => ability.can('update', asSubject('LineageNamespace', { agency })),
    known,
  )
}

/**
 * OpenLineage's HTTP transport contract and Marquez's read API, mounted under /api/v1: external
 * producers (Airflow, Spark, dbt…) post their events here with an API token of a steward or an
 * administrator, into the namespaces registered to their agency (never the platform's own);
 * anyone signed in reads the graph, minus datasets they may not discover. Every accepted event
 * is audited in the transaction that stores it.
 */
export function lineageRoutes(deps: LineageRouteDeps) {
  /** The audit entry of an accepted event, appended in the transaction that stores it. */
  const audit = (
    c: Context<RouteEnv>,
    trx: Kysely<unknown>,
    event: LineageEvent,
    stored: boolean,
  ) => {
    const summary = eventSummary(event)
    return deps.audit.append(
      {
        actor: actorOf(c.get('caller')),
        action: 'lineage.event',
        outcome: 'succeeded',
        subject: {
          type: 'LineageEvent',
          id: summary.runId ?? `${summary.namespace}:${summary.job ?? summary.dataset}`,
        },
        details: { ...summary, stored },
        requestId: c.get('requestId'),
      },
      deps.now(),
      trx,
    )
  }
  return new Hono<RouteEnv>()
    .post('/lineage', async (c) => {
      assertCan(c.get('ability'), 'create', 'LineageEvent')
      const body = await jsonBody(c)
      const check = deps.validator.check(body)
      if (check.errors.length > 0)
        throw new InvalidInputError(
          `Not a valid OpenLineage event: ${check.errors.slice(0, 10).join('; ')}${check.errors.length > 10 ? ` (and ${check.errors.length - 10} more)` : ''}`,
        )
      const event = body as LineageEvent
      const [refused] = await refusedEvents(deps, c.get('ability'), [event])
      // Refusals reach the audit trail as denied, with this message, through the error handler.
      if (refused) throw new ForbiddenError(refused.message)
      const { stored } = await deps.store.record(event, check.warnings, {
        within: (trx, result) => audit(c, trx, event, result.stored),
      })
      return c.json(
        { ok: true as const, data: { kind: check.kind, stored, warnings: check.warnings } },
        201,
      )
    })
    .post('/lineage/batch', async (c) => {
      assertCan(c.get('ability'), 'create', 'LineageEvent')
      const body = await jsonBody(c)
      if (!Array.isArray(body))
        throw new InvalidInputError('The body must be a JSON array of OpenLineage events')
      if (body.length > MAX_BATCH_EVENTS)
        throw new InvalidInputError(
          `At most ${MAX_BATCH_EVENTS} events per batch; this one has ${body.length}`,
        )
      // Invalid events fail one by one; an event the caller may not send refuses the whole batch
      // (403, nothing stored), as a caller who may not send events at all is refused.
      const checks = body.map((event) => deps.validator.check(event))
      const valid = body.flatMap((event, index) => {
        const check = checks[index]
        return check && check.errors.length === 0
          ? [{ index, event: event as LineageEvent, warnings: check.warnings }]
          : []
      })
      const refused = await refusedEvents(
        deps,
        c.get('ability'),
        valid.map((v) => v.event),
      )
      const first = refused[0]
      if (first)
        throw new ForbiddenError(
          `Event ${valid[first.index]?.index} of the batch: ${first.message}. Nothing of the batch was stored${refused.length > 1 ? ` (${refused.length} of its events are refused)` : ''}`,
        )
      const failed = checks.flatMap((check, index) =>
        check.errors.length > 0
          ? [{ index, reason: check.errors.slice(0, 5).join('; '), retriable: false }]
          : [],
      )
      // One transaction for the batch's events and their audit entries (one each): the chain of
      // the audit trail is locked once per batch, not once per event.
      await deps.store.recordAll(valid, {
        within: async (trx, results) => {
          for (const [i, { event }] of valid.entries())
            await audit(c, trx, event, results[i]?.stored ?? false)
        },
      })
      const successful = valid.length
      // The shape the OpenLineage batch contract gives (spec PR #4109).
      return c.json({
        status: failed.length === 0 ? 'success' : 'partial_success',
        summary: {
          received: body.length,
          successful,
          failed: failed.length,
          retriable: 0,
          non_retriable: failed.length,
        },
        ...(failed.length > 0 ? { failed_events: failed } : {}),
      })
    })
    .route('/lineage/namespaces', namespaceRoutes(deps))
    .get('/lineage/transports', async (c) => {
      // For those who run producers: whether our own events are reaching their consumers.
      assertCan(c.get('ability'), 'create', 'LineageEvent')
      return c.json({ ok: true as const, data: await deps.transports() })
    })
    .get('/lineage', validate('query', graphQuery), async (c) => {
      assertCan(c.get('ability'), 'read', 'LineageEvent')
      const { nodeId, depth } = c.req.valid('query')
      const { visible } = await catalogueView(deps.listCatalogue, c.get('ability'))
      const graph = await deps.graph.graph(nodeId, { depth, visible })
      if (!graph) throw new NotFoundError(`No lineage node ${nodeId}`)
      return c.json(graph)
    })
    .get('/column-lineage', validate('query', columnLineageQuery), async (c) => {
      assertCan(c.get('ability'), 'read', 'LineageEvent')
      const { nodeId, depth } = c.req.valid('query')
      const { visible } = await catalogueView(deps.listCatalogue, c.get('ability'))
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
      if (!target || !visible(target.dataset)) throw new NotFoundError(`No lineage node ${nodeId}`)
      return c.json(
        await deps.graph.columnLineage(target.dataset, { field: target.field, depth, visible }),
      )
    })
    .get('/search', validate('query', lineageSearchQuery), async (c) => {
      assertCan(c.get('ability'), 'read', 'LineageEvent')
      const { q, filter, limit } = c.req.valid('query')
      const view = await catalogueView(deps.listCatalogue, c.get('ability'))
      const found = await deps.graph.search(q, {
        filter,
        limit,
        hidden: { namespace: PORTAL_NAMESPACE, names: view.hidden },
      })
      return c.json({
        totalCount: found.totalCount,
        results: found.results.map(({ aliases, ...result }) => {
          if (result.type !== 'DATASET') return result
          const link = catalogueLink(
            { namespace: PORTAL_NAMESPACE, opens: view.opens },
            result,
            aliases,
          )
          return { ...result, ...link }
        }),
      })
    })
    .get('/namespaces/:namespace/datasets/:name', async (c) => {
      assertCan(c.get('ability'), 'read', 'LineageEvent')
      const id = { namespace: c.req.param('namespace'), name: c.req.param('name') }
      const { visible, opens } = await catalogueView(deps.listCatalogue, c.get('ability'))
      const dataset = visible(id) ? await deps.graph.dataset(id) : undefined
      if (!dataset) throw new NotFoundError(`No dataset ${id.name} in namespace ${id.namespace}`)
      return c.json({
        ...dataset,
        aliases: dataset.aliases.filter(visible),
        ...catalogueLink({ namespace: PORTAL_NAMESPACE, opens }, id, dataset.aliases),
      })
    })
    .get('/namespaces/:namespace/jobs/:job/runs', validate('query', runsQuery), async (c) => {
      assertCan(c.get('ability'), 'read', 'LineageEvent')
      const job = { namespace: c.req.param('namespace'), name: c.req.param('job') }
      const node = await deps.graph.resolveNode(`job:${job.namespace}:${job.name}`)
      if (!node) throw new NotFoundError(`No job ${job.name} in namespace ${job.namespace}`)
      return c.json(await deps.graph.runs(job, c.req.valid('query')))
    })
}
