import type { KpiRow } from './kpi-row.js'

/** A dataset version a computation read. */
export interface KpiInput {
  slug: string
  datasetId: string
  title: string
  version: number
  contentSha256: string
  /** The Trusted Centre run that published the version. */
  runId: string | undefined
  publishedAt: string
}

/** Why a computation ran, and for whom. */
export interface KpiTrigger {
  kind: 'fusion' | 'on demand' | 'start'
  actor: string
}

/** A kept computation: when and why it ran, and what it read. */
export interface StoredComputation {
  id: string
  computedAt: Date
  trigger: string
  actor: string
  inputs: KpiInput[]
  platformRecords: Record<string, number>
  historyVersion: number | undefined
  /** When a recomputation last found the same values. */
  checkedAt: Date
}

/** A computation as it ran: what it read, and its values per KPI number. */
export type KpiComputation = Omit<StoredComputation, 'checkedAt'> & {
  values: Map<number, KpiRow[]>
}

/** Computes every KPI now and keeps the result (see `createKpiEngine`). */
export interface KpiEngine {
  /** Computes every KPI now; calls wait for the one before them. */
  compute(trigger: KpiTrigger): Promise<KpiComputation>
}
