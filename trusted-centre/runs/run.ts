import { randomBytes } from 'node:crypto'
import type { QualitySummary } from '../../catalog/index.js'

/** One Trusted Centre run: an ingest of a delivery or a fusion pipeline execution. */
export interface Run {
  id: string
  kind: 'ingest' | 'fuse'
  subject: string
  status: 'running' | 'succeeded' | 'failed'
  startedAt: Date
  finishedAt: Date | undefined
  deliverySha256: string | undefined
  rowsIn: number | undefined
  accepted: number | undefined
  quarantined: number | undefined
  stagingPath: string | undefined
  quarantinePath: string | undefined
  outputVersion: number | undefined
  published: boolean | undefined
  quality: QualitySummary | undefined
  message: string | undefined
}

/**
 * What a run's message leaves out because it would quote the delivery: the first line of a file
 * refused for its header, or the engine's own words when reading it failed. Kept for the
 * Trusted Centre's stewards only, never on the {@link Run} that everyone's views are made from.
 */
export interface WithheldDetail {
  firstLine?: string
  error?: string
}

/** A run id that sorts by start time: `run_20261122T083500123_1a2b3c`. */
export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.Z]/g, '')
  return `run_${stamp}_${randomBytes(3).toString('hex')}`
}
