import type { DuckDBConnection } from '../../core/index.js'
import {
  columnLineageOfSql,
  type EmittedRunEvent,
  type LineageDataset,
  lineageFacets,
  lineageRunId,
  PORTAL_NAMESPACE,
  type RunEventType,
  runEvent,
  type SqlColumnLineage,
} from '../../lineage/index.js'
import type { FeedContract } from '../contracts/feed-contract.js'
import type { Pipeline } from '../pipelines/pipeline.js'
import {
  feedDelivery,
  PROVENANCE_COLUMNS,
  STAGING_NAMESPACE,
  stagingColumnLineage,
  stagingDataset,
} from './feed-lineage.js'
import { referenceDataset, referenceSqlTables, referenceTablesRead } from './reference-lineage.js'
import type { Run } from './run.js'
import type { RunEvents } from './with-run.js'

/** What an ingest run's end event adds to the run: the delivery's size, or why it failed. */
export interface IngestEventDetails {
  bytes?: number
  error?: string
}

/** What a fusion run's end event adds to the run: the output, or why it failed. */
export interface FuseEventDetails {
  schema?: { name: string; type: string }[]
  rowCount?: number
  bytes?: number
  error?: string
  columnLineage?: SqlColumnLineage
  /** The published version, and the absolute path of its file (its name to other tools). */
  published?: { version: number; file: string }
}

/** How lineage observes an ingest run of a feed: one event at its start, one at its end. */
export function ingestRunEvents(feed: FeedContract): RunEvents<IngestEventDetails> {
  return (run, eventType, details = {}) => [
    ingestEvent(feed, run, eventType, { ...details, ...failureOf(run, eventType) }),
  ]
}

/**
 * How lineage observes a fusion run: one event at its start; at its end, one with the output,
 * then the run of its quality checks (when it got that far).
 */
export function fusionRunEvents(pipeline: Pipeline): RunEvents<FuseEventDetails> {
  return (run, eventType, details = {}) =>
    eventType === 'START'
      ? [fuseEvent(pipeline, run, 'START')]
      : [
          fuseEvent(pipeline, run, eventType, { ...details, ...failureOf(run, eventType) }),
          ...qualityEvents(pipeline, run),
        ]
}

/** A failed run's message is the error its FAIL event reports: it never quotes the data. */
function failureOf(run: Run, eventType: RunEventType): { error?: string } {
  return eventType === 'FAIL' && run.message ? { error: run.message } : {}
}

/** The OpenLineage event of an ingest run's start or end. */
function ingestEvent(
  feed: FeedContract,
  run: Run,
  eventType: RunEventType,
  details: IngestEventDetails = {},
): EmittedRunEvent {
  const delivery: LineageDataset = {
    ...feedDelivery(feed),
    ...(run.rowsIn !== undefined
      ? {
          inputFacets: {
            dataQualityMetrics: lineageFacets.dataQualityMetrics({
              rowCount: run.rowsIn,
              ...(details.bytes !== undefined ? { bytes: details.bytes } : {}),
            }),
          },
        }
      : {}),
  }
  const finished = eventType === 'COMPLETE'
  return runEvent({
    eventType,
    eventTime: (eventType === 'START' ? run.startedAt : run.finishedAt) ?? new Date(),
    runId: run.id,
    job: { name: `ingest.${feed.id}`, type: 'INGEST' },
    ...(details.error
      ? { runFacets: { errorMessage: lineageFacets.errorMessage(details.error) } }
      : {}),
    inputs: [delivery],
    outputs: finished
      ? [
          stagingDataset(feed, {
            facets: { ...stagingDataset(feed).facets, columnLineage: stagingColumnLineage(feed) },
            outputFacets: {
              outputStatistics: lineageFacets.outputStatistics({
                rowCount: run.accepted ?? 0,
                size: 0,
                fileCount: 1,
              }),
            },
          }),
          {
            namespace: `${PORTAL_NAMESPACE}.quarantine`,
            name: feed.id,
            outputFacets: {
              outputStatistics: lineageFacets.outputStatistics({
                rowCount: run.quarantined ?? 0,
                size: 0,
                fileCount: 1,
              }),
            },
          },
        ]
      : [],
  })
}

/** The OpenLineage event of a fusion run's start or end, with the output's schema and quality. */
function fuseEvent(
  pipeline: Pipeline,
  run: Run,
  eventType: RunEventType,
  details: FuseEventDetails = {},
): EmittedRunEvent {
  const descriptions = new Map(pipeline.dataset.columns.map((c) => [c.name, c.description]))
  const output: LineageDataset = {
    namespace: PORTAL_NAMESPACE,
    name: pipeline.dataset.slug,
    facets: {
      ...(details.columnLineage
        ? {
            columnLineage: lineageFacets.columnLineage(
              details.columnLineage.fields,
              details.columnLineage.dataset,
            ),
          }
        : {}),
      ...(details.published
        ? {
            version: lineageFacets.datasetVersion(String(details.published.version)),
            // Spark, DuckDB or pandas reading the file name it `file` + its path (the spec's
            // naming); the alias links what they report back to this catalogue entry.
            symlinks: lineageFacets.symlinks([
              { namespace: 'file', name: details.published.file, type: 'FILE' },
            ]),
          }
        : {}),
      ...(details.schema
        ? {
            schema: lineageFacets.schema(
              details.schema.map((c) => ({ ...c, description: descriptions.get(c.name) })),
            ),
          }
        : {}),
    },
    ...(details.rowCount !== undefined
      ? {
          outputFacets: {
            outputStatistics: lineageFacets.outputStatistics({
              rowCount: details.rowCount,
              size: details.bytes ?? 0,
              fileCount: 1,
            }),
          },
        }
      : {}),
  }
  return runEvent({
    eventType,
    eventTime: (eventType === 'START' ? run.startedAt : run.finishedAt) ?? new Date(),
    runId: run.id,
    job: {
      name: `fuse.${pipeline.id}`,
      type: 'FUSION',
      facets: { sql: lineageFacets.sql(pipeline.sql) },
    },
    ...(details.error
      ? { runFacets: { errorMessage: lineageFacets.errorMessage(details.error) } }
      : {}),
    // The reference tables it reads are known once its column lineage is: on its end event.
    inputs: [
      ...pipeline.inputs.map((feed) => stagingDataset(feed)),
      ...(details.columnLineage ? referenceTablesRead(details.columnLineage) : []).map(
        referenceDataset,
      ),
    ],
    outputs: eventType === 'START' ? [] : [output],
  })
}

/**
 * The quality checks of a fusion run, as OpenLineage expects them: a run of the check job that
 * reads the candidate dataset, with the assertions on that input (`dataQualityAssertions` is an
 * input facet) and the fusion run as its parent. START and COMPLETE, like every run.
 */
function qualityEvents(pipeline: Pipeline, run: Run): EmittedRunEvent[] {
  if (!run.quality) return []
  const quality = run.quality
  const at = run.finishedAt ?? new Date()
  const checked: LineageDataset = {
    namespace: PORTAL_NAMESPACE,
    name: pipeline.dataset.slug,
    inputFacets: {
      dataQualityAssertions: lineageFacets.dataQualityAssertions(
        quality.results.map((r) => ({
          assertion: r.name,
          success: r.passed,
          severity: r.severity === 'blocking' ? 'error' : 'warn',
        })),
      ),
    },
  }
  const parts = {
    eventTime: at,
    runId: `${run.id}:quality`,
    job: { name: `quality.${pipeline.id}`, type: 'QUALITY_CHECK' },
    runFacets: {
      parent: lineageFacets.parent({
        runId: lineageRunId(run.id),
        namespace: PORTAL_NAMESPACE,
        name: `fuse.${pipeline.id}`,
      }),
    },
  }
  return [
    runEvent({
      ...parts,
      eventType: 'START',
      inputs: [{ namespace: checked.namespace, name: checked.name }],
    }),
    runEvent({ ...parts, eventType: 'COMPLETE', inputs: [checked] }),
  ]
}

/**
 * Which input columns make each output column of a pipeline, from its SQL as DuckDB parses it:
 * the feeds (their staged snapshots, with the `_run`/`_row` provenance columns) and the
 * reference tables are the inputs.
 */
export function pipelineColumnLineage(
  connection: DuckDBConnection,
  pipeline: Pipeline,
): Promise<SqlColumnLineage> {
  return columnLineageOfSql(connection, pipeline.sql, {
    ...Object.fromEntries(
      pipeline.inputs.map((feed) => [
        feed.id,
        {
          namespace: STAGING_NAMESPACE,
          name: feed.id,
          columns: [...PROVENANCE_COLUMNS.map((c) => c.name), ...feed.columns.map((c) => c.name)],
        },
      ]),
    ),
    ...referenceSqlTables(),
  })
}
