import { type ZodObject, type ZodType, z } from 'zod'
import {
  approveBody,
  askInfoBody,
  grantListQuery,
  rejectBody,
  requestBody,
  requestListQuery,
  resubmitBody,
  revokeBody,
  withdrawBody,
} from '../access/index.js'
import { auditListQuery } from '../audit/index.js'
import {
  glossaryTermBody,
  glossaryTermPatch,
  metadataPatch,
  searchQuery,
} from '../catalog/index.js'
import { createTokenBody, devSignInBody } from '../identity/index.js'
import { kpiListQuery } from '../kpi/index.js'
import {
  columnLineageQuery,
  graphQuery,
  LINEAGE_INGEST_LIMITS,
  lineageSearchQuery,
  namespaceBody,
  runsQuery,
} from '../lineage/index.js'
import { markReadBody, webhookBody, webhookPatch } from '../notifications/index.js'
import { CSV_CELLS_RULE, extractQuery, queryBody } from '../query-service/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { failedDeliveriesQuery } from '../trusted-centre/index.js'
import { MAX_PATH_PART } from './bound-path.js'

/** Who may call an operation, as the reference page and the document's security say it. */
type Access = 'public' | 'signed-in' | 'steward' | 'curator' | 'requester' | 'auditor' | 'admin'

interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete'
  /** OpenAPI path template under /api, e.g. `/api/datasets/{id}`. */
  path: string
  /** What each `{name}` in the path stands for. */
  pathParams?: Record<string, string>
  tag: string
  summary: string
  description?: string
  access: Access
  query?: ZodObject
  body?: ZodType
  /** Status codes this operation answers besides 200 and the common errors. */
  responses?: Record<string, string>
  /** Media type of the 200 answer when it is not JSON. */
  produces?: string
}

/** An OpenLineage event as the receiver takes it; its schemas are OpenLineage's own. */
const lineageEventBody = z
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

const DATASET_KEY = { id: "The dataset's id (`d_` + 32 hex digits) or its slug." }
const REQUEST_ID = { id: "The request's id (`r_` + 32 hex digits)." }

/**
 * Every route the API serves. The OpenAPI test compares this list with the routes the Hono app
 * actually registers, in both directions, so a new route cannot ship undocumented.
 */
export const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    tag: 'Service',
    summary: 'Liveness and database readiness',
    access: 'public',
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'Service',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'Service',
    summary: 'The API reference page for humans',
    access: 'public',
    produces: 'text/html',
  },
  {
    method: 'get',
    path: '/api/auth/methods',
    tag: 'Sign-in',
    summary: 'Which sign-in methods this deployment offers (OIDC, development picker)',
    access: 'public',
  },
  {
    method: 'get',
    path: '/api/auth/me',
    tag: 'Sign-in',
    summary: 'The caller: user, roles, agency, and how they signed in; null when anonymous',
    access: 'public',
  },
  {
    method: 'post',
    path: '/api/auth/sign-out',
    tag: 'Sign-in',
    summary: "End the caller's session and clear its cookie",
    access: 'public',
  },
  {
    method: 'get',
    path: '/api/auth/dev/users',
    tag: 'Sign-in',
    summary: 'Fixture users for the development sign-in (only when it is enabled)',
    access: 'public',
    responses: { '404': 'Development sign-in is not enabled' },
  },
  {
    method: 'post',
    path: '/api/auth/dev/sign-in',
    tag: 'Sign-in',
    summary: 'Sign in as a fixture user; answers with the session cookie (development only)',
    access: 'public',
    body: devSignInBody,
    responses: { '404': 'Development sign-in is not enabled' },
  },
  {
    method: 'get',
    path: '/api/auth/oidc/start',
    tag: 'Sign-in',
    summary: 'Redirect to the identity provider (authorization code with PKCE)',
    access: 'public',
    responses: { '302': 'Redirect to the provider', '404': 'No identity provider configured' },
  },
  {
    method: 'get',
    path: '/api/auth/oidc/callback',
    tag: 'Sign-in',
    summary: "The identity provider's redirect back; starts a session",
    access: 'public',
    responses: { '302': 'Redirect into the portal', '404': 'No identity provider configured' },
  },
  {
    method: 'get',
    path: '/api/dcat/catalog.jsonld',
    tag: 'Catalogue',
    summary: 'The public part of the catalogue as DCAT-AP 3 JSON-LD, for harvesters',
    access: 'public',
    produces: 'application/ld+json',
  },
  {
    method: 'get',
    path: '/api/datasets',
    tag: 'Catalogue',
    summary: 'Datasets the caller may discover',
    access: 'signed-in',
  },
  {
    method: 'get',
    path: '/api/datasets/{id}',
    pathParams: DATASET_KEY,
    tag: 'Catalogue',
    summary: 'One dataset: metadata, columns, versions with quality, glossary links',
    access: 'signed-in',
    responses: { '404': 'No such dataset, or the caller may not discover it' },
  },
  {
    method: 'patch',
    path: '/api/datasets/{id}',
    pathParams: DATASET_KEY,
    tag: 'Catalogue',
    summary: "Edit a dataset's metadata (stewards of the owning agency)",
    description:
      'Send only the fields to change. Column entries are matched by name; every change is recorded in the history.',
    access: 'steward',
    body: metadataPatch,
    responses: { '404': 'No such dataset, or the caller may not discover it' },
  },
  {
    method: 'get',
    path: '/api/datasets/{id}/changes',
    pathParams: DATASET_KEY,
    tag: 'Catalogue',
    summary: "The dataset's metadata change history: who changed what, when",
    access: 'signed-in',
    responses: { '404': 'No such dataset, or the caller may not discover it' },
  },
  {
    method: 'get',
    path: '/api/search',
    tag: 'Catalogue',
    summary: 'Faceted full-text search over the datasets the caller may discover',
    description:
      'Repeat a facet parameter to match any of its values (`?agency=DOS&agency=SLA`); different facets combine with AND.',
    access: 'signed-in',
    query: searchQuery,
  },
  {
    method: 'get',
    path: '/api/glossary',
    tag: 'Catalogue',
    summary: 'Business glossary terms and the columns they describe',
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/glossary',
    tag: 'Catalogue',
    summary: 'Define a new business term (answers 201)',
    description:
      'Link it to columns with `PATCH /api/datasets/{id}` (`columns[].glossary`). Names are kept NFKC-normalised with single spaces, and unique regardless of letter case; a name with an invisible or control character is refused.',
    access: 'curator',
    body: glossaryTermBody,
    responses: { '201': 'The term, defined', '409': 'A term of that name already exists' },
  },
  {
    method: 'patch',
    path: '/api/glossary/{term}',
    pathParams: { term: 'The term as listed by `GET /api/glossary`, URL-encoded.' },
    tag: 'Catalogue',
    summary: 'Redefine or rename a term; datasets carrying it are found by the new name at once',
    access: 'curator',
    body: glossaryTermPatch,
    responses: {
      '404': 'No such term',
      '409': 'Another term already has the new name',
    },
  },
  {
    method: 'get',
    path: '/api/requests',
    tag: 'Data sharing',
    summary: 'Access requests the caller may see: their own, and their agency queue for stewards',
    description:
      'Each carries its working-day clock (`serviceLevel`: days on the clock, due day, on-track / due-soon / overdue / paused) and the steps the caller may take now (`allowedActions`).',
    access: 'signed-in',
    query: requestListQuery,
  },
  {
    method: 'post',
    path: '/api/requests',
    tag: 'Data sharing',
    summary: 'Request a dataset, all of it or some columns (answers 201)',
    description:
      'Official (Open) data needs no request (409). Sensitive-High data needs two approvals by different stewards.',
    access: 'signed-in',
    body: requestBody,
    responses: {
      '201': 'The request, submitted',
      '404': 'No such dataset, or the caller may not discover it',
      '409': 'Open data, or an open request for the same dataset exists',
    },
  },
  {
    method: 'get',
    path: '/api/requests/{id}',
    pathParams: REQUEST_ID,
    tag: 'Data sharing',
    summary: 'One request with its history, approvals, grant and clock',
    access: 'signed-in',
    responses: { '404': 'No such request, or the caller may not see it' },
  },
  ...(
    [
      ['approve', approveBody, 'steward', 'Approve, optionally narrowing columns, rows and expiry'],
      ['reject', rejectBody, 'steward', 'Reject, saying why'],
      ['ask-info', askInfoBody, 'steward', 'Ask the requester for information (pauses the clock)'],
      [
        'resubmit',
        resubmitBody,
        'requester',
        'Answer the question, optionally correcting the request',
      ],
      ['withdraw', withdrawBody, 'requester', 'Withdraw the request'],
    ] as const
  ).map(([action, body, access, summary]) => ({
    method: 'post' as const,
    path: `/api/requests/{id}/${action}`,
    pathParams: REQUEST_ID,
    tag: 'Data sharing',
    summary,
    access,
    body,
    responses: {
      '404': 'No such request, or the caller may not see it',
      '409': 'Not allowed in the current state; the message names the steps that are',
    },
  })),
  {
    method: 'get',
    path: '/api/grants',
    tag: 'Data sharing',
    summary: 'Who holds access and why: own grants, or those on the agency datasets for stewards',
    access: 'signed-in',
    query: grantListQuery,
  },
  {
    method: 'post',
    path: '/api/grants/{id}/revoke',
    pathParams: { id: "The grant's id (`g_` + 32 hex digits)." },
    tag: 'Data sharing',
    summary: 'Revoke a grant at once (stewards of the owning agency, administrators)',
    access: 'steward',
    body: revokeBody,
    responses: {
      '404': 'No such grant, or the caller may not see it',
      '409': 'The grant has already expired or been revoked',
    },
  },
  {
    method: 'get',
    path: '/api/entitlements',
    tag: 'Data sharing',
    summary: 'What the caller may read now: datasets, versions, scope, columns, rows, until when',
    access: 'signed-in',
  },
  {
    method: 'get',
    path: '/api/notifications',
    tag: 'Data sharing',
    summary: "The caller's inbox (newest first) and how many are unread",
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/notifications/read',
    tag: 'Data sharing',
    summary: 'Mark inbox entries read (all when no ids are sent)',
    access: 'signed-in',
    body: markReadBody,
  },
  {
    method: 'get',
    path: '/api/webhooks',
    tag: 'Data sharing',
    summary: "Webhooks of the caller's agency (all, for administrators), with delivery counts",
    access: 'curator',
  },
  {
    method: 'post',
    path: '/api/webhooks',
    tag: 'Data sharing',
    summary: "Register an agency's receiver of data-sharing events (answers 201)",
    description:
      'Events are POSTed as JSON with `x-portal-event` (the event id, unique) and `x-portal-signature: sha256=<HMAC-SHA256 of the body with the secret>`. The secret is in this answer only. Receivers must be public https addresses; redirects are not followed. Failed deliveries are retried with backoff (30 s doubling, then hourly) until they succeed; nothing is dropped from the outbox unless the webhook is deleted.',
    access: 'curator',
    body: webhookBody,
    responses: { '201': 'The webhook, with its signing secret (shown once)' },
  },
  {
    method: 'get',
    path: '/api/webhooks/{id}/deliveries',
    pathParams: { id: "The webhook's id (`w_` + 32 hex digits)." },
    tag: 'Data sharing',
    summary: 'What was sent to a webhook, and how each delivery went',
    description:
      'A delivery the platform would not send (a receiver whose name resolves inside the network, does not resolve, or is no longer allowed) reads `refused: the destination is not allowed`, whatever the reason; the reason is in the server log only.',
    access: 'curator',
    responses: { '404': 'No such webhook, or not of an agency the caller manages' },
  },
  {
    method: 'patch',
    path: '/api/webhooks/{id}',
    pathParams: { id: "The webhook's id (`w_` + 32 hex digits)." },
    tag: 'Data sharing',
    summary: 'Disable or re-enable a webhook',
    description:
      'Audited as `webhook.disable` or `webhook.enable`. While disabled, no event is queued for it and deliveries already queued are held (a send under way is stopped before it starts); enabling it sends them. Events that happened while it was disabled are not sent.',
    access: 'curator',
    body: webhookPatch,
    responses: { '404': 'No such webhook, or not of an agency the caller manages' },
  },
  {
    method: 'delete',
    path: '/api/webhooks/{id}',
    pathParams: { id: "The webhook's id (`w_` + 32 hex digits)." },
    tag: 'Data sharing',
    summary: 'Delete a webhook, its secret and its outbox',
    description:
      'Pending deliveries are dropped (answers `{ id, droppedPending }`); the record of deliveries goes too. Audited as `webhook.delete`.',
    access: 'curator',
    responses: { '404': 'No such webhook, or not of an agency the caller manages' },
  },
  {
    method: 'get',
    path: '/api/query/views',
    tag: 'Query',
    summary:
      "The caller's views: one per dataset they may read, with columns (and which are masked)",
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/query',
    tag: 'Query',
    summary: 'Run one SELECT over your views, in a worker process of its own',
    description:
      "json answers `{ id, columns: [{ name, type }], rows: [[…]], rowCount, truncated, views }` (up to the row limit and QUERY_MAX_JSON_BYTES; a larger answer is refused, naming the byte limit); csv, ndjson, arrow and parquet stream (header `x-query-id`, at most `x-row-limit` rows and QUERY_MAX_STREAM_BYTES). Your views hold only what your grants and samples show (granted columns, row filter applied, direct identifiers as your project's pseudonyms). Only a single SELECT over your views runs (CTEs, unions, subqueries fine): table functions, the engine's catalogs and settings, other schemas, files, and every other statement are refused (400 `query_refused`); a query over the time, memory or byte limit gets 422 `limit_exceeded` naming the limit; an `id` used before gets 409; a busy service answers 503 with Retry-After. A view of an aggregate-only grant (scope `aggregates`) answers only one `SELECT … GROUP BY` with count, sum and avg, as JSON, and only if every cell passes the output checks (at least SDC_MIN_COUNT people per cell and per aggregate's contributors, the p% dominance rule, no cell differing from an earlier released one by fewer than SDC_MIN_COUNT people); otherwise 400 `query_refused` naming the rule and the cells. " +
      CSV_CELLS_RULE,
    access: 'signed-in',
    body: queryBody,
    responses: {
      '409': 'The `id` sent has been used already',
      '422': 'Stopped by a limit (time, memory, bytes); the message names it',
      '503': 'Too many queries at once: retry after the seconds in Retry-After',
    },
  },
  {
    method: 'post',
    path: '/api/query/{id}/cancel',
    pathParams: { id: 'The id of a running query of yours (`x-query-id`, or the `id` you sent).' },
    tag: 'Query',
    summary: 'Cancel one of your running queries',
    access: 'signed-in',
    responses: { '404': 'No running query of yours by that id' },
  },
  ...(
    [
      [
        'extract',
        'The full data of one version as a file: Official (Open) data for everyone signed in, other data under a grant (its columns, masking and row filter apply)',
      ],
      ['sample', 'The de-identified sample of one version as a file'],
    ] as const
  ).map(([kind, summary]) => ({
    method: 'get' as const,
    path: `/api/datasets/{id}/versions/{version}/${kind}`,
    pathParams: { ...DATASET_KEY, version: 'The version number, e.g. `1`.' },
    tag: 'Query',
    summary,
    description: `Streamed (never held whole in memory) with a file name in Content-Disposition. Audited and counted as a download. ${CSV_CELLS_RULE}`,
    access: 'signed-in' as const,
    query: extractQuery,
    produces: 'application/octet-stream',
    responses: {
      '404': 'No such version, or nothing of it for the caller',
      '503': 'Too many queries at once: retry after the seconds in Retry-After',
    },
  })),
  {
    method: 'get',
    path: '/api/query/history',
    tag: 'Query',
    summary: 'Your latest queries: text, views read, outcome, rows and bytes',
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/v1/lineage',
    tag: 'Lineage',
    summary: 'Receive one OpenLineage event (the OpenLineage HTTP transport)',
    description:
      "Any RunEvent, DatasetEvent or JobEvent, checked against the official OpenLineage schemas (the core, then each standard facet by its key and where it hangs). A violation is 400 naming it; a failure of a `format` check alone (a `uri` such as `file`, a time without an offset) is accepted and listed in `warnings`. The same run, event type and time, or the same content, is stored once (`stored: false` the second time). `Content-Encoding: gzip` is accepted. Answers 201, as Marquez does. For stewards and administrators, with a session or an API token with the write scope.\n\nEvery namespace the event writes must be registered to the caller's agency (`GET /api/v1/lineage/namespaces`), in exactly that spelling: the job's, each output's, each input's whose dataset `facets` it carries, and a DatasetEvent's dataset (naming another's dataset as an input without facets is fine). The platform's own namespaces (`gov-data-portal`, `gov-data-portal.*` and the SSOT deliveries' `feeds://*`, in any case, encoding or with a trailing slash) are written by the portal's pipelines alone, never over HTTP. An event of a run already known under another job is refused too. Otherwise 403 naming the event, the namespace and whose it is (audited as `access.denied`). Every accepted event, new or already stored, is audited as `lineage.event` with `{ kind, namespace, job, runId, eventType, stored }`, in the transaction that stores it.",
    access: 'steward',
    body: lineageEventBody,
    responses: { '201': 'Accepted: `{ kind, stored, warnings }`' },
  },
  {
    method: 'post',
    path: '/api/v1/lineage/batch',
    tag: 'Lineage',
    summary: 'Receive many OpenLineage events at once (the batch contract)',
    description:
      'A JSON array of events (at most 10,000). Answers `{ status: success | partial_success, summary: { received, successful, failed }, failed_events: [{ index, reason, retriable }] }`: valid events are stored even when others fail. Namespaces are checked as for one event, for the whole batch first: if any valid event writes a namespace the caller may not, the batch is refused whole (403 naming the first such event by its index; nothing of it is stored). The valid events are stored together, with one `lineage.event` audit entry each, in one transaction.',
    access: 'steward',
    body: z.array(lineageEventBody).max(LINEAGE_INGEST_LIMITS.batchEvents),
  },
  {
    method: 'get',
    path: '/api/v1/lineage/namespaces',
    tag: 'Lineage',
    summary: 'Which agency owns which lineage namespace',
    description:
      '`[{ namespace, agency, registeredBy, registeredAt }]`, by agency: the namespaces whose stewards (and administrators) of that agency may send OpenLineage events into.',
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/v1/lineage/namespaces',
    tag: 'Lineage',
    summary: 'Register a lineage namespace to an agency (answers 201)',
    description:
      "Answers 201 with the registration, or 200 when it already was, to that agency. Registrations are unique in any spelling (case, trailing slash, percent-encoding, invisible characters); the platform's own namespaces cannot be registered. To move a namespace, remove it and register it again. Audited as `lineage.namespace.register`.",
    access: 'admin',
    body: namespaceBody,
    responses: {
      '201': 'Registered',
      '409': "Another agency holds it (in some spelling), or it is the platform's",
    },
  },
  {
    method: 'delete',
    path: '/api/v1/lineage/namespaces/{namespace}',
    pathParams: { namespace: 'The namespace, URL-encoded, in any spelling of it.' },
    tag: 'Lineage',
    summary: 'Remove a lineage namespace from its agency',
    description:
      'Answers the removed registration; events already received stay. Audited as `lineage.namespace.unregister`.',
    access: 'admin',
    responses: { '404': 'No such namespace is registered' },
  },
  {
    method: 'get',
    path: '/api/v1/lineage/transports',
    tag: 'Lineage',
    summary: 'Where our own OpenLineage events go, and whether they arrive',
    description:
      'Per transport (our store, an OpenLineage consumer such as Marquez, a file): `{ name, pending, delivered, failures, lastError, lastDeliveredAt, retryAt }`. A consumer that is down keeps its events pending and is retried with backoff.',
    access: 'steward',
  },
  {
    method: 'get',
    path: '/api/v1/lineage',
    tag: 'Lineage',
    summary: 'The lineage graph around a dataset or a job, as Marquez answers it',
    description:
      '`{ graph: [{ id, type: DATASET | JOB, data, inEdges, outEdges }] }`, walking `depth` edges upstream and downstream. Datasets you may not discover in the catalogue are left out, and the walk does not pass through them.',
    access: 'signed-in',
    query: graphQuery,
  },
  {
    method: 'get',
    path: '/api/v1/column-lineage',
    tag: 'Lineage',
    summary: "Which source columns feed a dataset's columns, transitively, and how",
    description:
      '`{ graph: [{ id: datasetField:…, type: DATASET_FIELD, data: { namespace, dataset, field, fieldType, inputFields: [{ namespace, dataset, field, transformations }] }, inEdges, outEdges }] }`.',
    access: 'signed-in',
    query: columnLineageQuery,
  },
  {
    method: 'get',
    path: '/api/v1/namespaces/{namespace}/datasets/{name}',
    pathParams: {
      namespace: "The dataset's namespace, URL-encoded (e.g. `s3://bucket` or `gov-data-portal`).",
      name: "The dataset's name, URL-encoded.",
    },
    tag: 'Lineage',
    summary: 'One dataset as lineage knows it, linked to our catalogue where it is ours',
    description:
      '`{ id, fields, facets, versions: [{ version, runId, createdAt }], writtenBy, readBy, aliases, catalogue: { slug } | null, lineageOnly }`: datasets other tools report are lineage-only entries; one whose name (or a `symlinks` alias, either way) is a catalogue dataset you may open links to it.',
    access: 'signed-in',
  },
  {
    method: 'get',
    path: '/api/v1/search',
    tag: 'Lineage',
    summary: 'Find datasets and jobs in lineage by name, as Marquez searches',
    description:
      '`{ totalCount, results: [{ type, namespace, name, nodeId, updatedAt, catalogue?, lineageOnly? }] }`: names starting with the text first, then the most recently updated. Datasets other tools report are lineage-only entries; one that is, or names among its `symlinks` (either way), a catalogue dataset you may open carries `catalogue: { slug }`. Catalogue datasets you may not discover are left out, of the count too.',
    access: 'signed-in',
    query: lineageSearchQuery,
  },
  {
    method: 'get',
    path: '/api/v1/namespaces/{namespace}/jobs/{job}/runs',
    pathParams: {
      namespace: "The job's namespace, URL-encoded (e.g. `gov-data-portal`).",
      job: "The job's name, URL-encoded (e.g. `fuse.person_address_pa`).",
    },
    tag: 'Lineage',
    summary: "A job's runs, newest first: state, duration, rows written, quality",
    description:
      "`{ runs: [{ id, state, startedAt, endedAt, durationMs, outputs, quality, facets, delivery }], totalCount }`: `delivery` lists, per external consumer our events go to (HTTP, file), how many of the run's events it has taken, how many wait, the last error and the next attempt.",
    access: 'signed-in',
    query: runsQuery,
  },
  {
    method: 'get',
    path: '/api/kpis',
    tag: 'KPIs',
    summary: 'The 15 Digital Government Blueprint KPIs: latest value, target, status, trend',
    description:
      '`{ computedAt, computationId, statusRule, kpis: [{ number, category, wording, unit, targetText, target, direction, source, latest: { year, value, status }, trend: [{ year, value, status }] }] }`. `?format=csv` gives every KPI by year as a spreadsheet. ' +
      CSV_CELLS_RULE,
    access: 'signed-in',
    query: kpiListQuery,
    produces: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/kpis/{number}',
    pathParams: { number: 'The KPI number, 1 to 15.' },
    tag: 'KPIs',
    summary: 'One KPI with its history, breakdowns and where its numbers come from',
    description:
      '`{ …summary, measurement, familyTarget, statusRule, history: [{ year, value, numerator, denominator, target, status, closed }], breakdowns: { visible, by, rows | reason }, provenance: { computationId, computedAt, trigger, actor, inputs: [{ slug, title, version, runId, publishedAt, contentSha256, lineageNodeId }], platformRecords, sql, lineageNodeId, historyDataset } }`. Breakdowns by Ministry family follow the access rules of the data behind them: access to every row and column of every input dataset (Official (Open) data, or a grant with every column and no row filter), or for KPIs 12 and 14 (the sharing records) leaders, administrators and auditors.',
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/kpis/recompute',
    tag: 'KPIs',
    summary: 'Recompute every KPI now from the current dataset versions and records',
    description:
      'Stewards and administrators. Answers 201 with `{ computationId, computedAt, historyVersion }`; audited as `kpi.recompute`. KPIs are also recomputed after every Trusted Centre fusion run.',
    access: 'steward',
    responses: { '201': 'Computed' },
  },
  {
    method: 'get',
    path: '/api/feeds',
    tag: 'Trusted Centre',
    summary: 'Feed contracts of the Single Sources of Truth',
    access: 'signed-in',
  },
  {
    method: 'get',
    path: '/api/feeds/{id}',
    pathParams: { id: "The feed contract's id, e.g. `dos_persons`." },
    tag: 'Trusted Centre',
    summary: 'One feed contract: columns, types, value rules, delivery mode',
    access: 'signed-in',
    responses: { '404': 'No such feed' },
  },
  {
    method: 'get',
    path: '/api/feeds/{id}/failed-deliveries',
    pathParams: { id: "The feed contract's id, e.g. `dos_persons`." },
    tag: 'Trusted Centre',
    summary: 'Failed deliveries of a feed, with what the file held',
    description:
      "Newest first: each failed ingest with its message (what every officer reads, in the contract's terms) and what that message withholds: `firstLine`, the first line of a file refused for its header, or `error`, the engine's own words when reading failed. Only for stewards of the agency operating the feed's Trusted Centre (e.g. DOS for TC-DoS); everyone else, administrators included, gets 403.",
    access: 'steward',
    query: failedDeliveriesQuery,
    responses: { '404': 'No such feed' },
  },
  {
    method: 'get',
    path: '/api/tokens',
    tag: 'API tokens',
    summary: "The caller's API tokens (never their secrets)",
    access: 'signed-in',
  },
  {
    method: 'post',
    path: '/api/tokens',
    tag: 'API tokens',
    summary: 'Create an API token; its secret is shown once, in this answer',
    access: 'signed-in',
    body: createTokenBody,
  },
  {
    method: 'post',
    path: '/api/tokens/{id}/revoke',
    pathParams: { id: "The token's id, as listed by `GET /api/tokens`." },
    tag: 'API tokens',
    summary: 'Revoke one of your API tokens',
    access: 'signed-in',
    responses: { '404': 'No such token of yours' },
  },
  {
    method: 'get',
    path: '/api/audit',
    tag: 'Audit',
    summary: 'Audit entries, newest first, paged by sequence number',
    access: 'auditor',
    query: auditListQuery,
  },
  {
    method: 'get',
    path: '/api/audit/verify',
    tag: 'Audit',
    summary: "Verify the audit log's hash chain end to end",
    access: 'auditor',
  },
  {
    method: 'get',
    path: '/api/audit/export',
    tag: 'Audit',
    summary: 'The whole audit log as newline-delimited JSON',
    access: 'auditor',
    produces: 'application/x-ndjson',
  },
]

const ACCESS_TEXT: Record<Access, string> = {
  public: 'No sign-in needed.',
  'signed-in': 'Any signed-in caller (session cookie or API token).',
  steward: 'Stewards of the owning agency; others get 403.',
  curator: 'Stewards of any agency and administrators; others get 403.',
  requester: 'The person who made the request; others get 403.',
  auditor: 'Auditors and administrators; others get 403.',
  admin: 'Administrators only; others get 403.',
}

const jsonSchema = (schema: ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
  return rest
}

/** `post /api/tokens/{id}/revoke` → `postTokensIdRevoke`: unique, stable, readable in generated clients. */
function operationIdOf(op: Operation): string {
  const words = op.path
    .replace(/^\/api/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
  return op.method + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')
}

function parameters(op: Operation) {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => ({
    name,
    in: 'path',
    required: true,
    description: op.pathParams?.[name],
    schema: { type: 'string', maxLength: MAX_PATH_PART },
  }))
  const inQuery = Object.entries(op.query?.shape ?? {}).map(([name, field]) => ({
    name,
    in: 'query',
    required: !(field as ZodType).safeParse(undefined).success,
    schema: jsonSchema(field as ZodType),
  }))
  return [...inPath, ...inQuery]
}

function responses(op: Operation) {
  const ok = op.produces
    ? { description: 'Success', content: { [op.produces]: { schema: {} } } }
    : {
        description: 'Success',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Success' } } },
      }
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  })
  const answers: Record<string, unknown> = { '200': ok }
  if (op.query || op.body || op.path.includes('{'))
    answers['400'] = error('Invalid input; the message names each bad field')
  if (op.access !== 'public') answers['401'] = error('Sign in, or send a valid API token')
  if (['steward', 'curator', 'requester', 'auditor', 'admin'].includes(op.access))
    answers['403'] = error('Not allowed for this caller')
  for (const [status, description] of Object.entries(op.responses ?? {}))
    answers[status] = status.startsWith('3') ? { description } : error(description)
  answers['500'] = error(
    'Unexpected failure; the details are in the server log under the request id',
  )
  return answers
}

/** The OpenAPI 3.1 document for the whole HTTP API, built from the same zod schemas that validate requests. */
export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of OPERATIONS) {
    paths[op.path] ??= {}
    ;(paths[op.path] as Record<string, unknown>)[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, ACCESS_TEXT[op.access]].filter(Boolean).join('\n\n'),
      operationId: operationIdOf(op),
      parameters: parameters(op),
      ...(op.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(op.body) } },
        },
      }),
      responses: responses(op),
      security: op.access === 'public' ? [] : [{ session: [] }, { token: [] }],
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Government Data Portal API',
      version: '0.1.0',
      description:
        'Find datasets across agencies, read their metadata, and manage access. Every answer is `{"ok": true, "data": …}` or `{"ok": false, "error": {"code", "message"}}`. State-changing requests from a browser session need the `x-csrf-token` header (its value is in `/api/auth/me`); scripts send `Authorization: Bearer <token>`. A signed-in person may send a limited number of changes and queries a minute (RATE_LIMIT_PER_MINUTE, on all servers together): beyond it, 429 `rate_limited` with Retry-After; so may each client address its sign-in attempts (SIGN_IN_ATTEMPTS_PER_MINUTE). A request body is at most 1 MB (API_BODY_LIMIT_BYTES; lineage events 5 MB, batches 16 MB): past it, 413 `too_large`. A NUL character, a lone surrogate, bytes that are not UTF-8 or broken percent-encoding in a path segment, query parameter or body text get 400 naming the field. While the metadata database cannot be reached every request gets 503 `unavailable` with Retry-After.',
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'portal_session' },
        token: {
          type: 'http',
          scheme: 'bearer',
          description: 'A personal API token from /api/tokens',
        },
      },
      schemas: {
        Success: {
          type: 'object',
          required: ['ok', 'data'],
          properties: { ok: { const: true }, data: {} },
        },
        Error: {
          type: 'object',
          required: ['ok', 'error'],
          properties: {
            ok: { const: false },
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'Stable, machine-readable error code' },
                message: { type: 'string', description: 'What went wrong and what to fix' },
              },
            },
          },
        },
      },
    },
  }
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>
