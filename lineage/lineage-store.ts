import type { Kysely } from 'kysely'
import type { LineageEvent, RunEvent } from './events.js'
import type { LineageTables } from './lineage-tables.js'
import { eventKeeper } from './store/keep-events.js'
import { type OwnershipFacts, readOwnershipFacts } from './store/ownership-facts.js'

export interface RecordOptions {
  /**
   * Runs last inside the event's transaction, whether the event was new or already stored (e.g.
   * to audit it): both commit, or neither.
   */
  within?: (trx: Kysely<unknown>, result: { stored: boolean }) => Promise<unknown>
}

/** Where OpenLineage events are kept, and the graph derived from them. */
export interface LineageStore {
  /**
   * Stores an event once (a run event by run, type and time; any event by its content) and folds
   * it into jobs, datasets, runs, edges, versions and column lineage, in one transaction. An
   * event for a run already known under another job is refused (ForbiddenError), nothing stored.
   */
  record(
    event: LineageEvent,
    warnings?: readonly string[],
    options?: RecordOptions,
  ): Promise<{ stored: boolean }>
  /**
   * Stores events in order, each as {@link record} does, in one transaction: all of them or, when
   * one is refused or `within` fails, none. `within` runs last, with each event's result. The
   * statements do not grow with the count (one per table, see `foldEvents`): a group costs about
   * what one event does.
   */
  recordAll(
    events: readonly { event: LineageEvent; warnings?: readonly string[] }[],
    options?: {
      within?: (trx: Kysely<unknown>, results: readonly { stored: boolean }[]) => Promise<unknown>
    },
  ): Promise<{ stored: boolean }[]>
  /**
   * What the ownership checks of events read (see `refusalsOf`): the registrations of these
   * namespaces, the jobs of these runs, and which of these datasets the graph holds.
   */
  ownershipFacts(asked: {
    namespaces: readonly string[]
    runIds: readonly string[]
    datasets: readonly { namespace: string; name: string }[]
  }): Promise<OwnershipFacts>
  /** Events of one OpenLineage run, in time order. */
  eventsOfRun(lineageRunId: string): Promise<RunEvent[]>
  /** The newest events of a job, newest first. */
  eventsOfJob(jobName: string, options?: { limit?: number }): Promise<RunEvent[]>
}

export function createLineageStore(db: Kysely<LineageTables>): LineageStore {
  const keep = eventKeeper(db)
  return {
    record: (event, warnings = [], options = {}) =>
      keep([{ event, warnings }], async (trx, [result = { stored: false }]) => {
        await options.within?.(trx as unknown as Kysely<unknown>, result)
        return result
      }),
    async recordAll(events, options = {}) {
      if (events.length === 0) return []
      return keep(events, async (trx, results) => {
        await options.within?.(trx as unknown as Kysely<unknown>, results)
        return results
      })
    },
    ownershipFacts: (asked) => readOwnershipFacts(db, asked),
    async eventsOfRun(lineageRunId) {
      const rows = await db
        .selectFrom('lineage_events')
        .select('payload')
        .where('run_id', '=', lineageRunId)
        .orderBy('event_time')
        .orderBy('id')
        .execute()
      return rows.map((r) => r.payload as RunEvent)
    },
    async eventsOfJob(jobName, options = {}) {
      const rows = await db
        .selectFrom('lineage_events')
        .select('payload')
        .where('job_name', '=', jobName)
        .where('event_kind', '=', 'RunEvent')
        .orderBy('event_time', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit ?? 100)
        .execute()
      return rows.map((r) => r.payload as RunEvent)
    },
  }
}
