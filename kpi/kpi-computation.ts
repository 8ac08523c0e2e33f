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
  /** `access decision`: a request was approved or rejected (only the platform KPIs are measured again). */
  kind: 'fusion' | 'on demand' | 'start' | 'access decision'
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
  /**
   * Measures the platform KPIs again from the platform's records, keeping the register KPIs'
   * values of the latest computation (no dataset is read); a full computation when there is none
   * yet. Waits for the computation before it, as `compute` does.
   */
  computePlatform(trigger: KpiTrigger): Promise<KpiComputation>
}
