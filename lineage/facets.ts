import type { BaseFacet } from './events.js'
import { PRODUCER } from './producer.js'

/**
 * The standard facets we emit: each one's `_schemaURL` is the `$id` of the vendored schema it
 * follows plus its definition (facets.test.ts checks them against openlineage-spec/).
 */
export const FACET_SCHEMAS = {
  schema:
    'https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  dataSource:
    'https://openlineage.io/spec/facets/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet',
  columnLineage:
    'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
  dataQualityMetrics:
    'https://openlineage.io/spec/facets/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet',
  dataQualityAssertions:
    'https://openlineage.io/spec/facets/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet',
  outputStatistics:
    'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
  datasetDocumentation:
    'https://openlineage.io/spec/facets/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet',
  jobDocumentation:
    'https://openlineage.io/spec/facets/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet',
  datasetOwnership:
    'https://openlineage.io/spec/facets/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet',
  jobOwnership:
    'https://openlineage.io/spec/facets/1-0-1/OwnershipJobFacet.json#/$defs/OwnershipJobFacet',
  sql: 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet',
  jobType: 'https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet',
  parent: 'https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet',
  errorMessage:
    'https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet',
  datasetVersion:
    'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet',
  symlinks:
    'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet',
} as const

const facet = (kind: keyof typeof FACET_SCHEMAS, fields: Record<string, unknown>): BaseFacet => ({
  _producer: PRODUCER,
  _schemaURL: FACET_SCHEMAS[kind],
  ...fields,
})

/** How an output column comes from an input column (OpenLineage's transformation types). */
export interface ColumnTransformation {
  type: 'DIRECT' | 'INDIRECT'
  subtype:
    | 'IDENTITY'
    | 'TRANSFORMATION'
    | 'AGGREGATION'
    | 'JOIN'
    | 'GROUP_BY'
    | 'FILTER'
    | 'SORT'
    | 'WINDOW'
    | 'CONDITIONAL'
  description?: string
  masking?: boolean
}

export interface ColumnSource {
  namespace: string
  name: string
  field: string
  transformations: ColumnTransformation[]
}

/**
 * Facets of the kinds we use, each with `_producer` and `_schemaURL` set. The key each goes
 * under is in its comment: dataset facets under `facets`, input and output facets under
 * `inputFacets` / `outputFacets`, run and job facets on the run and the job.
 */
export const lineageFacets = {
  /** Dataset `schema`. */
  schema: (fields: readonly { name: string; type: string; description?: string }[]) =>
    facet('schema', {
      fields: fields.map((f, i) => ({
        name: f.name,
        type: f.type,
        ...(f.description ? { description: f.description } : {}),
        ordinal_position: i + 1,
      })),
    }),
  /** Dataset `dataSource`: where the data lives (a URI). */
  dataSource: (name: string, uri: string) => facet('dataSource', { name, uri }),
  /** Output dataset `columnLineage`: per output column, the input columns it comes from. */
  columnLineage: (
    fields: Readonly<Record<string, readonly ColumnSource[]>>,
    dataset: readonly ColumnSource[] = [],
  ) =>
    facet('columnLineage', {
      fields: Object.fromEntries(
        Object.entries(fields).map(([column, sources]) => [column, { inputFields: sources }]),
      ),
      ...(dataset.length > 0 ? { dataset } : {}),
    }),
  /** Input dataset `dataQualityMetrics`. */
  dataQualityMetrics: (metrics: { rowCount: number; bytes?: number }) =>
    facet('dataQualityMetrics', { ...metrics, columnMetrics: {} }),
  /** Input dataset `dataQualityAssertions`: checks made on a dataset as it was read. */
  dataQualityAssertions: (
    assertions: readonly {
      assertion: string
      success: boolean
      column?: string
      severity: string
    }[],
  ) => facet('dataQualityAssertions', { assertions }),
  /** Output dataset `outputStatistics`. */
  outputStatistics: (statistics: { rowCount: number; size: number; fileCount?: number }) =>
    facet('outputStatistics', statistics),
  /** Dataset `documentation`. */
  datasetDocumentation: (description: string) =>
    facet('datasetDocumentation', { description, contentType: 'text/plain' }),
  /** Job `documentation`. */
  jobDocumentation: (description: string) =>
    facet('jobDocumentation', { description, contentType: 'text/plain' }),
  /** Dataset `ownership`: e.g. `agency:DOS` as MAINTAINER. */
  datasetOwnership: (owners: readonly { name: string; type?: string }[]) =>
    facet('datasetOwnership', { owners }),
  /** Job `ownership`. */
  jobOwnership: (owners: readonly { name: string; type?: string }[]) =>
    facet('jobOwnership', { owners }),
  /** Job `sql`: the query the job runs. */
  sql: (query: string) => facet('sql', { query, dialect: 'duckdb' }),
  /** Job `jobType`. */
  jobType: (jobType: string) =>
    facet('jobType', { processingType: 'BATCH', integration: 'GOV_DATA_PORTAL', jobType }),
  /** Run `parent`: the run this one is part of. */
  parent: (parent: { runId: string; namespace: string; name: string }) =>
    facet('parent', {
      run: { runId: parent.runId },
      job: { namespace: parent.namespace, name: parent.name },
    }),
  /** Run `errorMessage`. */
  errorMessage: (message: string) =>
    facet('errorMessage', { message, programmingLanguage: 'TypeScript' }),
  /** Dataset `version`: the version this event is about. */
  datasetVersion: (version: string) => facet('datasetVersion', { datasetVersion: version }),
  /** Dataset `symlinks`: other names of the same data. */
  symlinks: (identifiers: readonly { namespace: string; name: string; type: string }[]) =>
    facet('symlinks', { identifiers }),
}
