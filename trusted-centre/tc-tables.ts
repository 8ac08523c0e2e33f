import type { ColumnType, Generated } from 'kysely'
import type { QualitySummary } from '../catalog/index.js'
import type { WithheldDetail } from './runs/run.js'

/** Rows of the Trusted Centre's tables as Kysely sees them. */
export interface TrustedCentreTables {
  tc_runs: RunRow
  tc_deliveries: DeliveryRow
}

export interface RunRow {
  id: string
  kind: 'ingest' | 'fuse'
  /** The feed id of an ingest run, the pipeline id of a fusion run. */
  subject: string
  status: 'running' | 'succeeded' | 'failed'
  started_at: Date
  finished_at: Date | null
  delivery_sha256: string | null
  rows_in: number | null
  accepted: number | null
  quarantined: number | null
  /** Accepted rows of an ingest run, relative to the data directory. */
  staging_path: string | null
  quarantine_path: string | null
  /** The catalogue version a fusion run published or found unchanged. */
  output_version: number | null
  published: boolean | null
  quality: ColumnType<QualitySummary | null, string | null, string | null>
  message: string | null
  /** What the message leaves out (the delivery's own text), for the centre's stewards only. */
  withheld_detail: ColumnType<WithheldDetail | null, string | null | undefined, string | null>
  /** The process that ran it (core's process registry); null for runs from before it existed. */
  process_id: ColumnType<string | null, string | null | undefined, string | null>
}

export interface DeliveryRow {
  feed: string
  sha256: string
  path: string
  byte_size: number
  received_at: Generated<Date>
  run_id: string
}
