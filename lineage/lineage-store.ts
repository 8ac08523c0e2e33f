import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { canonicalJson } from '../text/index.js'
import { isDatasetEvent, isRunEvent, type LineageEvent, type RunEvent } from './events.js'
import type { LineageTables } from './lineage-tables.js'
import { transaction } from './store/deadlock-retry.js'
import { foldEvents } from './store/fold-events.js'
import { runOfAnotherJob } from './store/packed-statements.js'
import { chunked } from './store/rounds.js'

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
  /** Which of these datasets the graph already holds, as `namespace\nname` keys. */
  knownDatasets(ids: readonly { namespace: string; name: string }[]): Promise<Set<string>>
  /** The job each of these runs belongs to (runs not yet known are absent). */
  jobsOfRuns(runIds: readonly string[]): Promise<Map<string, { namespace: string; name: string }>>
  /** Events of one OpenLineage run, in time order. */
  eventsOfRun(lineageRunId: string): Promise<RunEvent[]>
  /** The newest events of a job, newest first. */
  eventsOfJob(jobName: string, options?: { limit?: number }): Promise<RunEvent[]>
}

const bodyHash = (event: LineageEvent) =>
  createHash('sha256').update(canonicalJson(event)).digest('hex')

/** What is stored of an event as it came (its graph is folded from it). */
function eventRow(event: LineageEvent, warnings: readonly string[]) {
  const run = isRunEvent(event) ? event : undefined
  const job = 'job' in event ? event.job : undefined
  return {
    run_id: run?.run.runId ?? null,
    event_kind: run ? 'RunEvent' : isDatasetEvent(event) ? 'DatasetEvent' : 'JobEvent',
    event_type: run?.eventType ?? null,
    event_time: new Date(event.eventTime),
    job_namespace: job?.namespace ?? null,
    job_name: job?.name ?? null,
    payload: JSON.stringify(event),
    body_sha256: bodyHash(event),
    warnings: warnings.length > 0 ? JSON.stringify(warnings) : null,
  }
}

/**
 * Events, inside the caller's transaction: each kept once, then the new ones folded into the
 * graph. A statement (per thousand events) stores them all, and one per table folds them, so
 * the round trips of a group do not grow with its size.
 */
async function insertAndFold(
  trx: Transaction<LineageTables>,
  events: readonly { event: LineageEvent; warnings?: readonly string[] }[],
) {
  const rows = events.map(({ event, warnings = [] }) => eventRow(event, warnings))
  const inserted = new Set<string>()
  for (const chunk of chunked(rows)) {
    const returned = await trx
      .insertInto('lineage_events')
      .values(chunk)
      // The same run, type and time, or the same content, is one event however often it comes
      // (the first of a group is the one kept).
      .onConflict((oc) => oc.doNothing())
      .returning('body_sha256')
      .execute()
    for (const row of returned) inserted.add(row.body_sha256)
  }
  const results = rows.map((row) => {
    const stored = inserted.delete(row.body_sha256)
    return { stored }
  })
  await foldEvents(
    trx,
    events.flatMap(({ event }, i) => (results[i]?.stored ? [event] : [])),
  )
  // After folding: a run first met in this transaction has its job by now.
  await refuseRepeatsOfOtherJobs(
    trx,
    rows.filter((_, i) => !results[i]?.stored),
  )
  return results
}

/**
 * An event kept already (same run, type and time) is answered "not stored", but only to the job
 * whose run it is: another job's sender naming that run is refused, as it would be had the run's
 * first event come in an earlier transaction (two senders of one group, or two replicas at once).
 */
async function refuseRepeatsOfOtherJobs(
  trx: Transaction<LineageTables>,
  repeats: readonly ReturnType<typeof eventRow>[],
) {
  const named = repeats.filter((row) => row.run_id !== null && row.job_name !== null)
  if (named.length === 0) return
  const owners = await trx
    .selectFrom('lineage_runs')
    .select(['run_id', 'job_namespace', 'job_name'])
    .where('run_id', 'in', [...new Set(named.map((row) => row.run_id as string))])
    .execute()
  const jobOf = new Map(owners.map((o) => [o.run_id, `${o.job_namespace}\u0000${o.job_name}`]))
  for (const row of named) {
    const owner = jobOf.get(row.run_id as string)
    if (owner !== undefined && owner !== `${row.job_namespace}\u0000${row.job_name}`)
      throw runOfAnotherJob({
        run_id: row.run_id as string,
        job_namespace: row.job_namespace as string,
        job_name: row.job_name as string,
      })
  }
}

export function createLineageStore(db: Kysely<LineageTables>): LineageStore {
  return {
    async record(event, warnings = [], options = {}) {
      return transaction(db, async (trx) => {
        const [result = { stored: false }] = await insertAndFold(trx, [{ event, warnings }])
        await options.within?.(trx as unknown as Kysely<unknown>, result)
        return result
      })
    },
    async recordAll(events, options = {}) {
      if (events.length === 0) return []
      return transaction(db, async (trx) => {
        const results = await insertAndFold(trx, events)
        await options.within?.(trx as unknown as Kysely<unknown>, results)
        return results
      })
    },
    async knownDatasets(ids) {
      const known = new Set<string>()
      if (ids.length === 0) return known
      const rows = await db
        .selectFrom('lineage_datasets')
        .select(['namespace', 'name'])
        .where((eb) =>
          eb.or(
            ids.map((id) => eb.and([eb('namespace', '=', id.namespace), eb('name', '=', id.name)])),
          ),
        )
        .execute()
      for (const row of rows) known.add(`${row.namespace}\n${row.name}`)
      return known
    },
    async jobsOfRuns(runIds) {
      const jobs = new Map<string, { namespace: string; name: string }>()
      if (runIds.length === 0) return jobs
      const rows = await db
        .selectFrom('lineage_runs')
        .select(['run_id', 'job_namespace', 'job_name'])
        .where('run_id', 'in', [...new Set(runIds)])
        .execute()
      for (const row of rows)
        jobs.set(row.run_id, { namespace: row.job_namespace, name: row.job_name })
      return jobs
    },
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
