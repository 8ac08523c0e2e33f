import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { MAX_DEPTH } from './lineage-graph.js'
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
import { listNamespaces, registerNamespace, removeNamespace } from './namespace-routes.js'

/**
 * What one ingest request may carry. The server refuses a larger body before it is read (its
 * body limit for these routes comes from here); the ingest routes check the count of a batch.
 * Events' schema and column-lineage facets grow with a table's width; a typical run event is
 * about 1.6 KB, so a full batch fits in 16 MB.
 */
export const LINEAGE_INGEST_LIMITS = {
  eventBytes: 5_000_000,
  batchBytes: 16_000_000,
  batchEvents: 10_000,
} as const

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
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

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
    '`{ graph: [{ id: datasetField:…, type: DATASET_FIELD, data: { namespace, dataset, field, fieldType, inputFields: [{ namespace, dataset, field, transformations, assumed }] }, inEdges, outEdges }] }`, upstream through every job back to the sources. Where a job reported no column lineage for what it writes, a column is taken to pass unchanged from a column of the same name in what it reads (`assumed: true`); a source column of a dataset outside the dataset graph (a reference table no run reports reading) is still listed.',
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
    '`{ totalCount, results: [{ type, namespace, name, nodeId, updatedAt, catalogue, lineageOnly }] }`: names starting with the text first, then the most recently updated. Datasets other tools report are lineage-only entries; one that is, or names among its `symlinks` (either way), a catalogue dataset you may open carries `catalogue: { slug }`. Jobs carry `catalogue: null, lineageOnly: null`. Catalogue datasets you may not discover are left out, of the count too.',
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
