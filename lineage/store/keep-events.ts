import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { canonicalJson } from '../../text/index.js'
import { isDatasetEvent, isRunEvent, type LineageEvent } from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import { transaction } from './deadlock-retry.js'
import { foldEvents } from './fold-events.js'
import { runOfAnotherJob, type Step } from './packed-statements.js'
import { chunked } from './rounds.js'

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
type EventRow = ReturnType<typeof eventRow>

/** Events to keep, with the warnings their check gave. */
export type ReceivedEvents = readonly { event: LineageEvent; warnings?: readonly string[] }[]

/** An event of a group taken for new was kept before: the transaction is undone, and run again. */
class KeptBefore extends Error {}

/**
 * Keeps events in a transaction of their own, `within` last in it: each kept once (a run event by
 * run, type and time, any event by its content), the new ones folded into the graph.
 *
 * Events are taken for new while they turn out new (senders seldom send one twice): then the
 * statement that stores them is the fold's first, a round trip less; one found kept before undoes
 * the transaction, which runs again the careful way, storing first and folding what was new.
 * Events repeating each other are never taken for new.
 */
export function eventKeeper(db: Kysely<LineageTables>) {
  let takenForNew = true
  return async function keep<T>(
    events: ReceivedEvents,
    within: (trx: Transaction<LineageTables>, results: { stored: boolean }[]) => Promise<T>,
  ): Promise<T> {
    const rows = events.map(({ event, warnings = [] }) => eventRow(event, warnings))
    const attempt = (fresh: boolean) =>
      transaction(db, async (trx) => {
        const results = fresh
          ? await insertFolding(trx, events, rows)
          : await insertThenFold(trx, events, rows)
        if (!fresh) takenForNew = results.every((result) => result.stored)
        return within(trx, results)
      })
    if (takenForNew && !repeating(rows))
      try {
        return await attempt(true)
      } catch (error) {
        if (!(error instanceof KeptBefore)) throw error
        takenForNew = false
      }
    return attempt(false)
  }
}

/** Whether two rows would be one event (same content, or same run, type and time). */
function repeating(rows: readonly EventRow[]) {
  const seen = new Set<string>()
  for (const row of rows) {
    const keys = [row.body_sha256]
    if (row.run_id !== null && row.event_type !== null)
      keys.push(`${row.run_id}\u0000${row.event_type}\u0000${row.event_time.getTime()}`)
    for (const key of keys) {
      if (seen.has(key)) return true
      seen.add(key)
    }
  }
  return false
}

// The same run, type and time, or the same content, is one event however often it comes (the
// first of a group is the one kept).
const insertEvents = (trx: Transaction<LineageTables>, rows: readonly EventRow[]) =>
  trx
    .insertInto('lineage_events')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .returning('body_sha256')

/** Events taken for new: stored by the fold's first statement (KeptBefore if one was not). */
async function insertFolding(
  trx: Transaction<LineageTables>,
  events: ReceivedEvents,
  rows: readonly EventRow[],
) {
  const stores: Step[] = chunked(rows).map((chunk) => ({
    query: insertEvents(trx, chunk),
    returns: {
      column: 'body_sha256',
      check: (stored) => {
        if (stored.length < chunk.length) throw new KeptBefore()
      },
    },
  }))
  await foldEvents(
    trx,
    events.map(({ event }) => event),
    stores,
  )
  return rows.map(() => ({ stored: true }))
}

/**
 * Events stored first (a statement per thousand), then the new ones folded into the graph, so the
 * round trips of a group do not grow with its size.
 */
async function insertThenFold(
  trx: Transaction<LineageTables>,
  events: ReceivedEvents,
  rows: readonly EventRow[],
) {
  const inserted = new Set<string>()
  for (const chunk of chunked(rows))
    for (const row of await insertEvents(trx, chunk).execute()) inserted.add(row.body_sha256)
  const results = rows.map((row) => ({ stored: inserted.delete(row.body_sha256) }))
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
  repeats: readonly EventRow[],
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
