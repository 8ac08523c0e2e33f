/** The OpenLineage version our events follow (vendored in openlineage-spec/, Apache-2.0). */
export const OPENLINEAGE_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json'

/** Every facet carries who made it and which schema it follows; the rest is the facet's own. */
export interface BaseFacet {
  _producer: string
  _schemaURL: string
  /** Job and dataset facets may be deleted by sending them with `_deleted: true`. */
  _deleted?: boolean
  [field: string]: unknown
}

export type Facets = Record<string, BaseFacet>

export interface DatasetRef {
  namespace: string
  name: string
  facets?: Facets
}

export interface InputDataset extends DatasetRef {
  inputFacets?: Facets
}

export interface OutputDataset extends DatasetRef {
  outputFacets?: Facets
}

/** Datasets as events carry them: inputs and outputs, each with its own extra facets. */
export interface LineageDataset extends DatasetRef {
  inputFacets?: Facets
  outputFacets?: Facets
}

export interface JobRef {
  namespace: string
  name: string
  facets?: Facets
}

export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const
export type RunEventType = (typeof RUN_EVENT_TYPES)[number]

interface BaseEvent {
  eventTime: string
  producer: string
  schemaURL: string
}

/** What happened in one run of a job: it started, progressed, completed, failed… */
export interface RunEvent extends BaseEvent {
  /** Optional in the schema (required by the spec's text); we always send it. */
  eventType?: RunEventType
  run: { runId: string; facets?: Facets }
  job: JobRef
  inputs?: LineageDataset[]
  outputs?: LineageDataset[]
}

/** Metadata about a dataset, outside any run. */
export interface DatasetEvent extends BaseEvent {
  dataset: DatasetRef
}

/** A job's definition (and its declared inputs and outputs), outside any run. */
export interface JobEvent extends BaseEvent {
  job: JobRef
  inputs?: LineageDataset[]
  outputs?: LineageDataset[]
}

export type LineageEvent = RunEvent | DatasetEvent | JobEvent

/** Which kind an event is, by its shape, as the core schema's oneOf decides. */
export function isRunEvent(event: LineageEvent): event is RunEvent {
  return 'run' in event && 'job' in event
}

export function isDatasetEvent(event: LineageEvent): event is DatasetEvent {
  return 'dataset' in event && !isRunEvent(event)
}
