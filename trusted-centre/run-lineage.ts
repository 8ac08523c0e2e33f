import type { DuckDBConnection } from '../core/index.js'
import {
  columnLineageOfSql,
  type EmittedRunEvent,
  type LineageDataset,
  lineageFacets,
  lineageRunId,
  PORTAL_NAMESPACE,
  type RunEvent,
  type RunEventType,
  runEvent,
  type SqlColumnLineage,
} from '../lineage/index.js'
import type { FeedContract } from './feed-contract.js'
import type { Pipeline } from './pipeline.js'
import { REFERENCE_TABLES } from './reference-tables.js'
import type { Run } from './run.js'

/** Where the Trusted Centre sends its OpenLineage events (the lineage store, in process). */
export interface LineageSink {
  record(event: RunEvent): Promise<unknown>
}

const STAGING = `${PORTAL_NAMESPACE}.staging`

/** The staged (accepted) rows of a feed, as a lineage dataset. */
function stagingDataset(feed: FeedContract, extra: Partial<LineageDataset> = {}): LineageDataset {
  return {
    namespace: STAGING,
    name: feed.id,
    facets: {
      schema: lineageFacets.schema(
        feed.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })),
      ),
    },
    ...extra,
  }
}

/** The OpenLineage event of an ingest run's start or end. */
export function ingestEvent(
  feed: FeedContract,
  run: Run,
  eventType: RunEventType,
  details: { bytes?: number; error?: string } = {},
): EmittedRunEvent {
  const delivery: LineageDataset = {
    namespace: `feeds://${feed.ssot}`,
    name: feed.id,
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
export function fuseEvent(
  pipeline: Pipeline,
  run: Run,
  eventType: RunEventType,
  details: {
    schema?: { name: string; type: string }[]
    rowCount?: number
    bytes?: number
    error?: string
    columnLineage?: SqlColumnLineage
    /** The published version, and the absolute path of its file (its name to other tools). */
    published?: { version: number; file: string }
  } = {},
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
    inputs: pipeline.inputs.map((feed) => stagingDataset(feed)),
    outputs: eventType === 'START' ? [] : [output],
  })
}

/**
 * The quality checks of a fusion run, as OpenLineage expects them: a run of the check job that
 * reads the candidate dataset, with the assertions on that input (`dataQualityAssertions` is an
 * input facet) and the fusion run as its parent. START and COMPLETE, like every run.
 */
export function qualityEvents(pipeline: Pipeline, run: Run): EmittedRunEvent[] {
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
          namespace: STAGING,
          name: feed.id,
          columns: ['_row', '_run', ...feed.columns.map((c) => c.name)],
        },
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(REFERENCE_TABLES).map(([table, columns]) => [
        table,
        { namespace: `${PORTAL_NAMESPACE}.reference`, name: table, columns },
      ]),
    ),
  })
}
