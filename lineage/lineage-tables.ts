import type { ColumnType, Generated } from 'kysely'
import type { RunEvent } from './run-event.js'

/** Rows of the lineage module's tables. */
export interface LineageTables {
  lineage_events: {
    id: Generated<number>
    run_id: string
    event_type: string
    event_time: Date
    job_namespace: string
    job_name: string
    payload: ColumnType<RunEvent, string, string>
    received_at: Generated<Date>
  }
}
