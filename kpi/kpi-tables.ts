import type { ColumnType, Generated } from 'kysely'
import type { KpiInput } from './kpi-computation.js'
import type { KpiTarget } from './kpi-definition.js'

type Json<T> = ColumnType<T, string, string>

/** Rows of the kpi module's tables. */
export interface KpiTables {
  /** One computation of all 15 KPIs: when, why, from which dataset versions and records. */
  kpi_computations: {
    id: string
    seq: Generated<string>
    computed_at: Date
    trigger: string
    actor: string
    inputs: Json<KpiInput[]>
    /** How many platform records the platform-measured KPIs read. */
    platform_records: Json<Record<string, number>>
    /** The version of the KPI history dataset it published (or found unchanged). */
    history_version: number | null
    /** Of its inputs, platform record counts and values: equal means nothing changed. */
    content_sha256: string
    /** When a recomputation last found the same (its computed_at, until one does). */
    checked_at: Date
  }
  /** Each KPI's value per year: whole government ('' breakdown), per Ministry family, per agency. */
  kpi_values: {
    computation_id: string
    number: number
    year: number
    /** 1–4 for a quarterly KPI, 0 for a whole year. */
    quarter: number
    breakdown: string
    member: string
    value: number
    numerator: number
    denominator: number
    /** Null: a breakdown of a count, which has no target of its own. */
    target: ColumnType<KpiTarget | null, string | null, string | null>
    /** '' where there is no target. */
    status: string
    closed: boolean
  }
}
