import { createHash } from 'node:crypto'
import {
  type Facets,
  type LineageDataset,
  OPENLINEAGE_SCHEMA,
  type RunEvent,
  type RunEventType,
} from './events.js'
import { lineageFacets } from './facets.js'
import { PORTAL_NAMESPACE, PRODUCER } from './producer.js'

/** A RunEvent as we emit it: the event type, inputs and outputs always present. */
export type EmittedRunEvent = RunEvent & {
  eventType: RunEventType
  inputs: LineageDataset[]
  outputs: LineageDataset[]
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
  eventType: RunEventType
  eventTime: Date
  runId: string
  job: { name: string; type: string; facets?: Facets }
  runFacets?: Facets
  inputs?: LineageDataset[]
  outputs?: LineageDataset[]
}): EmittedRunEvent {
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
      facets: { jobType: lineageFacets.jobType(parts.job.type), ...parts.job.facets },
    },
    inputs: parts.inputs ?? [],
    outputs: parts.outputs ?? [],
  }
}
