import type { ColumnType, Generated, JSONColumnType } from 'kysely'
import type { Facets, LineageEvent } from './events.js'

type Json<T> = ColumnType<T, string, string>

/** A job or a dataset: its newest facet of each key. */
interface EntityRow {
  namespace: string
  name: string
  facets: Json<Facets>
  facets_time: Date
  created_at: Date
  updated_at: Date
}

export interface RunOutputSummary {
  namespace: string
  name: string
  rowCount?: number
  size?: number
}

export interface RunQualitySummary {
  namespace: string
  name: string
  passed: number
  failed: number
}

/** Rows of the lineage module's tables. */
export interface LineageTables {
  lineage_events: {
    id: Generated<number>
    run_id: string | null
    event_kind: Generated<string>
    event_type: string | null
    event_time: Date
    job_namespace: string | null
    job_name: string | null
    payload: ColumnType<LineageEvent, string, string>
    body_sha256: string
    warnings: Json<string[]> | null
    received_at: Generated<Date>
  }
  lineage_jobs: EntityRow
  lineage_datasets: EntityRow
  lineage_runs: {
    run_id: string
    job_namespace: string
    job_name: string
    state: string
    started_at: Date | null
    ended_at: Date | null
    facets: Json<Facets>
    outputs: Json<RunOutputSummary[]>
    quality: Json<RunQualitySummary[]>
    updated_at: Date
  }
  lineage_edges: {
    job_namespace: string
    job_name: string
    dataset_namespace: string
    dataset_name: string
    direction: 'input' | 'output'
    last_run_id: string | null
    first_seen: Date
    last_seen: Date
  }
  lineage_dataset_versions: {
    namespace: string
    name: string
    version: string
    run_id: string
    created_at: Date
    facets: Json<Facets>
  }
  /** Events waiting for, or delivered to, an external transport (HTTP, file). */
  lineage_outbox: {
    id: Generated<string>
    transport: string
    run_id: string | null
    payload: ColumnType<LineageEvent, string, string>
    created_at: Date
    attempts: Generated<number>
    next_attempt_at: Date
    delivered_at: Date | null
    last_error: string | null
    claim_token: string | null
  }
  /** Namespaces registered to agencies (see namespace-ownership.ts). */
  lineage_namespaces: {
    namespace: string
    canonical: string
    agency: string
    registered_by: string
    registered_at: Date
  }
  lineage_column_edges: {
    namespace: string
    name: string
    field: string
    input_namespace: string
    input_name: string
    input_field: string
    transformations: JSONColumnType<unknown[]>
  }
}
