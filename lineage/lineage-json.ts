import { z } from 'zod'

/**
 * The shapes the lineage API answers with, as JSON (times are ISO 8601 strings). Reads are
 * Marquez-shaped, without the `{ ok, data }` envelope; facets are OpenLineage's own, by their key.
 */

const time = z.iso.datetime().describe('ISO 8601 time')

const facets = z
  .record(z.string(), z.looseObject({}))
  .describe(
    "OpenLineage facets by key, each in OpenLineage's own shape (`_producer`, `_schemaURL`)",
  )

const entityId = z.strictObject({ namespace: z.string(), name: z.string() })

const edge = z.strictObject({
  origin: z.string().describe('The node it is made from'),
  destination: z.string().describe('The node it makes'),
})

const edges = { inEdges: z.array(edge), outEdges: z.array(edge) }

/** One run of a job, as the graph and the run history show it. */
const runSummary = z.strictObject({
  id: z.string(),
  state: z.string().describe('START, RUNNING, COMPLETE, FAIL, ABORT or OTHER'),
  startedAt: time.nullable(),
  endedAt: time.nullable(),
  durationMs: z.number().nullable(),
  outputs: z.array(
    z.strictObject({
      namespace: z.string(),
      name: z.string(),
      rowCount: z.number().nullable().describe('null: not reported'),
      size: z.number().nullable().describe('Bytes; null: not reported'),
    }),
  ),
  quality: z.array(
    z.strictObject({
      namespace: z.string(),
      name: z.string(),
      passed: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  facets,
})

const runDelivery = z.strictObject({
  transport: z.string(),
  delivered: z.number().int(),
  pending: z.number().int(),
  lastError: z.string().nullable().describe('Why the last attempt failed, while events wait'),
  nextAttemptAt: time.nullable(),
})

const datasetSummary = z.strictObject({
  id: entityId,
  namespace: z.string(),
  name: z.string(),
  fields: z.array(
    z.strictObject({
      name: z.string(),
      type: z.string().nullable().describe('null: the `schema` facet gives none'),
      description: z.string().nullable().describe('null: the `schema` facet gives none'),
    }),
  ),
  facets,
  createdAt: time,
  updatedAt: time,
})

const graphNode = z.discriminatedUnion('type', [
  z.strictObject({
    id: z.string().describe('`dataset:<namespace>:<name>`'),
    type: z.literal('DATASET'),
    data: datasetSummary.extend({ type: z.literal('DATASET') }),
    ...edges,
  }),
  z.strictObject({
    id: z.string().describe('`job:<namespace>:<name>`'),
    type: z.literal('JOB'),
    data: z.strictObject({
      id: entityId,
      namespace: z.string(),
      name: z.string(),
      type: z.string().describe("The `jobType` facet's, or JOB"),
      facets,
      latestRun: runSummary.nullable(),
    }),
    ...edges,
  }),
])

export const lineageGraphJson = z.strictObject({ graph: z.array(graphNode) })

export const columnLineageJson = z.strictObject({
  graph: z.array(
    z.strictObject({
      id: z.string().describe('`datasetField:<namespace>:<name>:<field>`'),
      type: z.literal('DATASET_FIELD'),
      data: z.strictObject({
        namespace: z.string(),
        dataset: z.string(),
        field: z.string(),
        fieldType: z.string().nullable(),
        inputFields: z.array(
          z.strictObject({
            namespace: z.string(),
            dataset: z.string(),
            field: z.string(),
            transformations: z
              .array(z.unknown())
              .describe(
                "OpenLineage's column lineage transformations: `{ type, subtype, masking?, description? }`",
              ),
            assumed: z
              .boolean()
              .describe(
                'true: the job writing the column reported no column lineage, so the column is taken to pass unchanged from the column of the same name in what it reads',
              ),
          }),
        ),
      }),
      ...edges,
    }),
  ),
})

/** Where a lineage dataset is in our catalogue, if the caller may open it there. */
const catalogueLink = {
  catalogue: z.strictObject({ slug: z.string() }).nullable(),
  lineageOnly: z.boolean().describe('Reported by other tools only, not one of our catalogue'),
}

export const lineageDatasetJson = datasetSummary.extend({
  versions: z.array(z.strictObject({ version: z.string(), runId: z.string(), createdAt: time })),
  writtenBy: z.array(entityId),
  readBy: z.array(entityId),
  aliases: z
    .array(entityId)
    .describe('Its other names (`symlinks`, either way) the caller may see'),
  ...catalogueLink,
})

export const lineageSearchJson = z.strictObject({
  totalCount: z.number().int(),
  results: z.array(
    z.strictObject({
      type: z.enum(['DATASET', 'JOB']),
      namespace: z.string(),
      name: z.string(),
      updatedAt: time,
      nodeId: z.string(),
      catalogue: catalogueLink.catalogue.describe(
        'The catalogue dataset it is or names, if the caller may open it; null for a job',
      ),
      lineageOnly: catalogueLink.lineageOnly.nullable().describe('null for a job'),
    }),
  ),
})

export const jobRunsJson = z.strictObject({
  runs: z.array(runSummary.extend({ delivery: z.array(runDelivery) })),
  totalCount: z.number().int(),
})

export const transportStatusJson = z.strictObject({
  name: z.string(),
  durable: z.boolean().describe('Its backlog survives a restart (the outbox table)'),
  pending: z.number().int(),
  oldestPendingAt: time.nullable(),
  delivered: z.number().int().describe('Counted by this process since it started'),
  failures: z.number().int(),
  lastError: z.string().nullable(),
  lastDeliveredAt: time.nullable(),
  retryAt: time.nullable().describe('When the next attempt is due, while the transport fails'),
})

export const acceptedEventJson = z.strictObject({
  kind: z.enum(['RunEvent', 'DatasetEvent', 'JobEvent']),
  stored: z.boolean().describe('false when the same event was already stored'),
  warnings: z
    .array(z.string())
    .describe('Format slips accepted (a `uri` like `file`, a time without offset)'),
})

/** The OpenLineage batch contract's answer (spec PR #4109). */
export const batchResultJson = z.strictObject({
  status: z.enum(['success', 'partial_success']),
  summary: z.strictObject({
    received: z.number().int(),
    successful: z.number().int(),
    failed: z.number().int(),
    retriable: z.number().int(),
    non_retriable: z.number().int(),
  }),
  failed_events: z
    .array(
      z.strictObject({
        index: z.number().int().describe("The event's place in the batch, from 0"),
        reason: z.string(),
        retriable: z.boolean(),
      }),
    )
    .optional(),
})

export const lineageNamespaceJson = z.strictObject({
  namespace: z.string(),
  agency: z.string().describe("The owning agency's code"),
  registeredBy: z.string(),
  registeredAt: time,
})
