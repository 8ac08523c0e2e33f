import { gunzipSync } from 'node:zlib'
import { type Context, Hono } from 'hono'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import { ForbiddenError, InvalidInputError, NotFoundError } from '../core/index.js'
import {
  type AppAbility,
  actorOf,
  asSubject,
  assertCan,
  type RouteEnv,
  serve,
} from '../identity/index.js'
import {
  contentEncodingOf,
  defineModule,
  defineRoute,
  ok,
  type RouteDef,
} from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { type CatalogueView, catalogueView, type ListCatalogue } from './catalogue-view.js'
import type { TransportStatus } from './emitter.js'
import { isRunEvent, type LineageEvent } from './events.js'
import { type LineageGraph, MAX_DEPTH } from './lineage-graph.js'
import {
  acceptedEventJson,
  batchResultJson,
  columnLineageJson,
  jobRunsJson,
  lineageDatasetJson,
  lineageGraphJson,
  lineageSearchJson,
  transportStatusJson,
} from './lineage-json.js'
import type { LineageStore } from './lineage-store.js'
import {
  eventSummary,
  namespacesWritten,
  platformInputs,
  refusalsOf,
} from './namespace-ownership.js'
import {
  listNamespaces,
  type NamespaceRouteDeps,
  namespaceRoutes,
  registerNamespace,
  removeNamespace,
} from './namespace-routes.js'
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

/** An OpenLineage event as the receiver takes it; its schemas are OpenLineage's own. */
export const lineageEventBody = z
  .looseObject({
    eventTime: z.string().max(MAX_LENGTH.time).describe('RFC 3339 time'),
    producer: z.string().max(MAX_LENGTH.url).describe('URI of the code that made the event'),
    schemaURL: z
      .string()
      .max(MAX_LENGTH.url)
      .describe('e.g. https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent'),
  })
  .describe(
    'One OpenLineage event: a RunEvent (run and job), a DatasetEvent (dataset) or a JobEvent (job), per https://openlineage.io/spec/2-0-2/OpenLineage.json',
  )

const datasetParams = z.strictObject({
  namespace: z
    .string()
    .max(MAX_LENGTH.url)
    .describe("The dataset's namespace, URL-encoded (e.g. `s3://bucket` or `gov-data-portal`)."),
  name: z.string().max(MAX_LENGTH.url).describe("The dataset's name, URL-encoded."),
})

const jobParams = z.strictObject({
  namespace: z
    .string()
    .max(MAX_LENGTH.url)
    .describe("The job's namespace, URL-encoded (e.g. `gov-data-portal`)."),
  job: z
    .string()
    .max(MAX_LENGTH.url)
    .describe("The job's name, URL-encoded (e.g. `fuse.person_address_pa`)."),
})

export const receiveEvent = defineRoute({
  method: 'post',
  path: '/lineage',
  access: 'steward',
  summary: 'Receive one OpenLineage event (the OpenLineage HTTP transport)',
  description:
    "Any RunEvent, DatasetEvent or JobEvent, checked against the official OpenLineage schemas (the core, then each standard facet by its key and where it hangs). A violation is 400 naming it; a failure of a `format` check alone (a `uri` such as `file`, a time without an offset) is accepted and listed in `warnings`. The same run, event type and time, or the same content, is stored once (`stored: false` the second time). `Content-Encoding: gzip` is accepted. Answers 201, as Marquez does. For stewards and administrators, with a session or an API token with the write scope.\n\nEvery namespace the event writes must be registered to the caller's agency (`GET /api/v1/lineage/namespaces`), in exactly that spelling: the job's, each output's, each input's whose dataset `facets` it carries, and a DatasetEvent's dataset (naming another's dataset as an input without facets is fine). The platform's own namespaces (`gov-data-portal`, `gov-data-portal.*` and the SSOT deliveries' `feeds://*`, in any case, encoding or with a trailing slash) are written by the portal's pipelines alone, never over HTTP. An event of a run already known under another job is refused too. Otherwise 403 naming the event, the namespace and whose it is (audited as `access.denied`). Every accepted event, new or already stored, is audited as `lineage.event` with `{ kind, namespace, job, runId, eventType, stored }`, in the transaction that stores it.",
  request: { body: lineageEventBody },
  responses: {
    201: { description: 'Accepted, with any format warnings', json: ok(acceptedEventJson) },
    400: 'Not JSON, not gzip, or not a valid OpenLineage event: the message names the violation',
    403: "Not a steward, or the event writes a namespace that is not the caller's agency's: the message names the event, the namespace and whose it is",
  },
})

export const receiveBatch = defineRoute({
  method: 'post',
  path: '/lineage/batch',
  access: 'steward',
  summary: 'Receive many OpenLineage events at once (the batch contract)',
  description:
    'A JSON array of events (at most 10,000). Answers `{ status: success | partial_success, summary: { received, successful, failed }, failed_events: [{ index, reason, retriable }] }`: valid events are stored even when others fail. Namespaces are checked as for one event, for the whole batch first: if any valid event writes a namespace the caller may not, the batch is refused whole (403 naming the first such event by its index; nothing of it is stored). The valid events are stored together, with one `lineage.event` audit entry each, in one transaction.',
  request: { body: z.array(lineageEventBody).max(LINEAGE_INGEST_LIMITS.batchEvents) },
  responses: {
    200: {
      description: 'Stored the valid events; the others are listed',
      json: batchResultJson,
    },
    400: 'Not a JSON array of events, or too many of them',
    403: "Not a steward, or an event writes a namespace that is not the caller's agency's: the message names the event by its index, the namespace and whose it is",
  },
})

export const transportStatus = defineRoute({
  method: 'get',
  path: '/lineage/transports',
  access: 'steward',
  summary: 'Where our own OpenLineage events go, and whether they arrive',
  description:
    'Per transport (our store, an OpenLineage consumer such as Marquez, a file): `{ name, pending, delivered, failures, lastError, lastDeliveredAt, retryAt }`. A consumer that is down keeps its events pending and is retried with backoff.',
  responses: {
    200: { description: 'Each transport', json: ok(z.array(transportStatusJson)) },
  },
})

export const lineageGraph = defineRoute({
  method: 'get',
  path: '/lineage',
  access: 'signed-in',
  summary: 'The lineage graph around a dataset or a job, as Marquez answers it',
  description:
    '`{ graph: [{ id, type: DATASET | JOB, data, inEdges, outEdges }] }`, walking `depth` edges upstream and downstream. Datasets you may not discover in the catalogue are left out, and the walk does not pass through them.',
  request: { query: graphQuery },
  responses: {
    200: { description: 'The graph (no envelope, as Marquez)', json: lineageGraphJson },
    404: 'No such node, or one you may not discover',
  },
})

export const columnLineage = defineRoute({
  method: 'get',
  path: '/column-lineage',
  access: 'signed-in',
  summary: "Which source columns feed a dataset's columns, transitively, and how",
  description:
    '`{ graph: [{ id: datasetField:…, type: DATASET_FIELD, data: { namespace, dataset, field, fieldType, inputFields: [{ namespace, dataset, field, transformations }] }, inEdges, outEdges }] }`.',
  request: { query: columnLineageQuery },
  responses: {
    200: { description: 'The columns (no envelope, as Marquez)', json: columnLineageJson },
    404: 'No such dataset, or one you may not discover',
  },
})

export const lineageDataset = defineRoute({
  method: 'get',
  path: '/namespaces/:namespace/datasets/:name',
  access: 'signed-in',
  summary: 'One dataset as lineage knows it, linked to our catalogue where it is ours',
  description:
    '`{ id, fields, facets, versions: [{ version, runId, createdAt }], writtenBy, readBy, aliases, catalogue: { slug } | null, lineageOnly }`: datasets other tools report are lineage-only entries; one whose name (or a `symlinks` alias, either way) is a catalogue dataset you may open links to it.',
  request: { params: datasetParams },
  responses: {
    200: { description: 'The dataset (no envelope, as Marquez)', json: lineageDatasetJson },
    404: 'No such dataset, or one you may not discover',
  },
})

export const lineageSearch = defineRoute({
  method: 'get',
  path: '/search',
  access: 'signed-in',
  summary: 'Find datasets and jobs in lineage by name, as Marquez searches',
  description:
    '`{ totalCount, results: [{ type, namespace, name, nodeId, updatedAt, catalogue?, lineageOnly? }] }`: names starting with the text first, then the most recently updated. Datasets other tools report are lineage-only entries; one that is, or names among its `symlinks` (either way), a catalogue dataset you may open carries `catalogue: { slug }`. Catalogue datasets you may not discover are left out, of the count too.',
  request: { query: lineageSearchQuery },
  responses: {
    200: { description: 'What was found (no envelope, as Marquez)', json: lineageSearchJson },
  },
})

export const jobRuns = defineRoute({
  method: 'get',
  path: '/namespaces/:namespace/jobs/:job/runs',
  access: 'signed-in',
  summary: "A job's runs, newest first: state, duration, rows written, quality",
  description:
    "`{ runs: [{ id, state, startedAt, endedAt, durationMs, outputs, quality, facets, delivery }], totalCount }`: `delivery` lists, per external consumer our events go to (HTTP, file), how many of the run's events it has taken, how many wait, the last error and the next attempt.",
  request: { params: jobParams, query: runsQuery },
  responses: {
    200: { description: 'The runs (no envelope, as Marquez)', json: jobRunsJson },
    404: 'No such job',
  },
})

/**
 * OpenLineage's HTTP transport contract and Marquez's read API, mounted under /api/v1: external
 * producers (Airflow, Spark, dbt…) post their events here with an API token of a steward or an
 * administrator, into the namespaces registered to their agency (never the platform's own);
 * anyone signed in reads the graph, minus datasets they may not discover. Every accepted event
 * is audited in the transaction that stores it.
 */
export const LINEAGE_API = defineModule('/v1', 'Lineage', {
  receiveEvent,
  receiveBatch,
  listNamespaces,
  registerNamespace,
  removeNamespace,
  transportStatus,
  lineageGraph,
  columnLineage,
  lineageDataset,
  lineageSearch,
  jobRuns,
})

/**
 * The ingest routes read their body themselves (gzip, and the OpenLineage validator names each
 * violation better than the loose schema could): their declared body documents it, unchecked.
 */
const bodyReadByHandler = <R extends RouteDef>(route: R) =>
  ({ ...route, request: {} }) as Omit<R, 'request'> & { request: { body?: undefined } }

/** The audit entry of an accepted event, appended in the transaction that stores it. */
function auditEvent(
  deps: LineageRouteDeps,
  c: Context<RouteEnv>,
  trx: Kysely<unknown>,
  event: LineageEvent,
  stored: boolean,
) {
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

/** OpenLineage's HTTP transport: one event, or a batch of them. */
const ingestRoutes = (deps: LineageRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(bodyReadByHandler(receiveEvent), async (c) => {
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
          within: (trx, result) => auditEvent(deps, c, trx, event, result.stored),
        })
        return c.json(
          { ok: true as const, data: { kind: check.kind, stored, warnings: check.warnings } },
          201,
        )
      }),
    )
    .route(
      '/',
      serve(bodyReadByHandler(receiveBatch), async (c) => {
        assertCan(c.get('ability'), 'create', 'LineageEvent')
        const body = await jsonBody(c)
        if (!Array.isArray(body))
          throw new InvalidInputError('The body must be a JSON array of OpenLineage events')
        if (body.length > MAX_BATCH_EVENTS)
          throw new InvalidInputError(
            `At most ${MAX_BATCH_EVENTS} events per batch; this one has ${body.length}`,
          )
        // Invalid events fail one by one; an event the caller may not send refuses the whole
        // batch (403, nothing stored), as a caller who may not send events at all is refused.
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
        // One transaction for the batch's events and their audit entries (one each): the chain
        // of the audit trail is locked once per batch, not once per event.
        await deps.store.recordAll(valid, {
          within: async (trx, results) => {
            for (const [i, { event }] of valid.entries())
              await auditEvent(deps, c, trx, event, results[i]?.stored ?? false)
          },
        })
        const successful = valid.length
        // The shape the OpenLineage batch contract gives (spec PR #4109).
        return c.json(
          {
            status: failed.length === 0 ? ('success' as const) : ('partial_success' as const),
            summary: {
              received: body.length,
              successful,
              failed: failed.length,
              retriable: 0,
              non_retriable: failed.length,
            },
            ...(failed.length > 0 ? { failed_events: failed } : {}),
          },
          200,
        )
      }),
    )

/** Marquez's read API: the graph, column lineage, search, a dataset and a job's runs. */
const readRoutes = (deps: LineageRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(lineageGraph, async (c) => {
        assertCan(c.get('ability'), 'read', 'LineageEvent')
        const { nodeId, depth } = c.req.valid('query')
        const { visible } = await catalogueView(deps.listCatalogue, c.get('ability'))
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
        if (!target || !visible(target.dataset))
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
        const view = await catalogueView(deps.listCatalogue, c.get('ability'))
        const found = await deps.graph.search(q, {
          filter,
          limit,
          hidden: { namespace: PORTAL_NAMESPACE, names: view.hidden },
        })
        const catalogue = { namespace: PORTAL_NAMESPACE, opens: view.opens }
        return c.json(
          {
            totalCount: found.totalCount,
            results: found.results.map(({ aliases, ...result }) =>
              result.type === 'DATASET'
                ? { ...result, ...catalogueLink(catalogue, result, aliases) }
                : result,
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
        const { visible, opens } = await catalogueView(deps.listCatalogue, c.get('ability'))
        const dataset = visible(id) ? await deps.graph.dataset(id) : undefined
        if (!dataset) throw new NotFoundError(`No dataset ${id.name} in namespace ${id.namespace}`)
        return c.json(
          {
            ...dataset,
            aliases: dataset.aliases.filter(visible),
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
        return c.json(await deps.graph.runs(job, c.req.valid('query')), 200)
      }),
    )

/**
 * The lineage API's routes, served from their declarations ({@link LINEAGE_API}): ingest, the
 * namespace registry, our own transports' status, and the Marquez-shaped reads.
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
