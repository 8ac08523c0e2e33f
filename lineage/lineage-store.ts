import type { Kysely } from 'kysely'
import type { LineageTables } from './lineage-tables.js'
import type { RunEvent } from './run-event.js'

/** Where OpenLineage events are kept; also the in-process transport of our emitter. */
export interface LineageStore {
  /** Stores an event once: a repeat (same run, type and time) is ignored. */
  record(event: RunEvent): Promise<void>
  /** Events of one OpenLineage run, in time order. */
  eventsOfRun(lineageRunId: string): Promise<RunEvent[]>
  /** The newest events of a job, newest first. */
  eventsOfJob(jobName: string, options?: { limit?: number }): Promise<RunEvent[]>
}

export function createLineageStore(db: Kysely<LineageTables>): LineageStore {
  return {
    async record(event) {
      await db
        .insertInto('lineage_events')
        .values({
          run_id: event.run.runId,
          event_type: event.eventType,
          event_time: new Date(event.eventTime),
          job_namespace: event.job.namespace,
          job_name: event.job.name,
          payload: JSON.stringify(event),
        })
        .onConflict((oc) => oc.columns(['run_id', 'event_type', 'event_time']).doNothing())
        .execute()
    },
    async eventsOfRun(lineageRunId) {
      const rows = await db
        .selectFrom('lineage_events')
        .select('payload')
        .where('run_id', '=', lineageRunId)
        .orderBy('event_time')
        .orderBy('id')
        .execute()
      return rows.map((r) => r.payload)
    },
    async eventsOfJob(jobName, options = {}) {
      const rows = await db
        .selectFrom('lineage_events')
        .select('payload')
        .where('job_name', '=', jobName)
        .orderBy('event_time', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 100)
        .execute()
      return rows.map((r) => r.payload)
    },
  }
}
