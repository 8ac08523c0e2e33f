import { createHash } from 'node:crypto'

/** The OpenLineage version our events follow (../shared/openlineage/spec, Apache-2.0). */
export const OPENLINEAGE_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json'
/** Who produced our events, as OpenLineage's `producer` and every facet's `_producer`. */
export const PRODUCER =
  'https://github.com/gov-data-portal/gov-data-portal/tree/main/trusted-centre'
/** Namespace of our jobs and of the datasets we publish. */
export const PORTAL_NAMESPACE = 'gov-data-portal'

const FACETS = {
  schema:
    'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  dataQualityMetrics:
    'https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet',
  dataQualityAssertions:
    'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
  outputStatistics:
    'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
  errorMessage:
    'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
} as const

/** Every facet carries who made it and which schema it follows. */
export interface BaseFacet {
  _producer: string
  _schemaURL: string
  [field: string]: unknown
}

export interface LineageDataset {
  namespace: string
  name: string
  facets?: Record<string, BaseFacet>
  inputFacets?: Record<string, BaseFacet>
  outputFacets?: Record<string, BaseFacet>
}

/** An OpenLineage RunEvent (the subset of fields we emit). */
export interface RunEvent {
  eventType: 'START' | 'COMPLETE' | 'FAIL'
  eventTime: string
  producer: string
  schemaURL: string
  run: { runId: string; facets?: Record<string, BaseFacet> }
  job: { namespace: string; name: string; facets?: Record<string, BaseFacet> }
  inputs: LineageDataset[]
  outputs: LineageDataset[]
}

const facet = (kind: keyof typeof FACETS, fields: Record<string, unknown>): BaseFacet => ({
  _producer: PRODUCER,
  _schemaURL: FACETS[kind],
  ...fields,
})

/** Facets of the kinds we use, each with `_producer` and `_schemaURL` set. */
export const lineageFacets = {
  schema: (fields: readonly { name: string; type: string; description?: string }[]) =>
    facet('schema', {
      fields: fields.map((f, i) => ({
        name: f.name,
        type: f.type,
        ...(f.description ? { description: f.description } : {}),
        ordinal_position: i + 1,
      })),
    }),
  dataQualityMetrics: (metrics: { rowCount: number; bytes?: number }) =>
    facet('dataQualityMetrics', { ...metrics, columnMetrics: {} }),
  dataQualityAssertions: (
    assertions: readonly {
      assertion: string
      success: boolean
      column?: string
      severity: string
    }[],
  ) => facet('dataQualityAssertions', { assertions }),
  outputStatistics: (statistics: { rowCount: number; size: number; fileCount?: number }) =>
    facet('outputStatistics', statistics),
  errorMessage: (message: string) =>
    facet('errorMessage', { message, programmingLanguage: 'TypeScript' }),
  jobType: (jobType: string) =>
    facet('jobType', { processingType: 'BATCH', integration: 'GOV_DATA_PORTAL', jobType }),
}

/**
 * An OpenLineage run id (a UUID) derived from one of our run ids, so every event of a run
 * carries the same id without storing a second one.
 */
export function lineageRunId(runId: string): string {
  const hex = createHash('sha256').update(runId).digest('hex')
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** A RunEvent with the envelope filled in. */
export function runEvent(parts: {
  eventType: RunEvent['eventType']
  eventTime: Date
  runId: string
  job: { name: string; type: string }
  runFacets?: Record<string, BaseFacet>
  inputs?: LineageDataset[]
  outputs?: LineageDataset[]
}): RunEvent {
  return {
    eventType: parts.eventType,
    eventTime: parts.eventTime.toISOString(),
    producer: PRODUCER,
    schemaURL: `${OPENLINEAGE_SCHEMA}#/$defs/RunEvent`,
    run: {
      runId: lineageRunId(parts.runId),
      ...(parts.runFacets ? { facets: parts.runFacets } : {}),
    },
    job: {
      namespace: PORTAL_NAMESPACE,
      name: parts.job.name,
      facets: { jobType: lineageFacets.jobType(parts.job.type) },
    },
    inputs: parts.inputs ?? [],
    outputs: parts.outputs ?? [],
  }
}
