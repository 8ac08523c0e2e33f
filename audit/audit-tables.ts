import type { ColumnType } from 'kysely'

/** The audit trail's one table. */
export interface AuditTables {
  audit_log: AuditRow
}

export interface AuditRow {
  seq: number
  occurred_at: Date
  actor_id: string | null
  actor: string
  action: string
  outcome: string
  subject_type: string | null
  subject_id: string | null
  details: ColumnType<Record<string, unknown>, string, string>
  request_id: string | null
  prev_hash: string
  /** The audit key's id; null for entries chained before the trail was keyed. */
  key_id: string | null
  hash: string
}
