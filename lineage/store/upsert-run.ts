import { sql, type Transaction } from 'kysely'
import type { RunEvent } from '../events.js'
import type { LineageTables, RunOutputSummary, RunQualitySummary } from '../lineage-tables.js'
import { runOfAnotherJob, type Step } from './packed-statements.js'
import { chunked, inRounds } from './rounds.js'
import { facetChange } from './upsert-entities.js'

/** A run's state from its events: the first terminal state stays, OTHER changes nothing. */
const STATE_OF: Record<string, string | undefined> = {
  START: 'RUNNING',
  RUNNING: 'RUNNING',
  COMPLETE: 'COMPLETED',
  FAIL: 'FAILED',
  ABORT: 'ABORTED',
}
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'ABORTED'])

/** What an event says of its run's outputs (rows, size) and of the checks on its inputs. */
export function runResults(event: RunEvent) {
  const outputs: RunOutputSummary[] = (event.outputs ?? []).flatMap((o) => {
    const stats = o.outputFacets?.outputStatistics as
      | { rowCount?: number; size?: number }
      | undefined
    return stats
      ? [{ namespace: o.namespace, name: o.name, rowCount: stats.rowCount, size: stats.size }]
      : []
  })
  const quality: RunQualitySummary[] = (event.inputs ?? []).flatMap((i) => {
    const assertions = (
      i.inputFacets?.dataQualityAssertions as { assertions?: { success: boolean }[] } | undefined
    )?.assertions
    return assertions
      ? [
          {
            namespace: i.namespace,
            name: i.name,
            passed: assertions.filter((a) => a.success).length,
            failed: assertions.filter((a) => !a.success).length,
          },
        ]
      : []
  })
  return { outputs, quality }
}

/** A run event's row of `lineage_runs`, as the run would be if this event were its only one. */
function runRow(event: RunEvent, time: Date) {
  const { outputs, quality } = runResults(event)
  const state = STATE_OF[event.eventType ?? ''] ?? 'NEW'
  return {
    run_id: event.run.runId,
    job_namespace: event.job.namespace,
    job_name: event.job.name,
    state,
    started_at: event.eventType === 'START' ? time : null,
    ended_at: TERMINAL.has(state) ? time : null,
    facets: JSON.stringify(facetChange(event.run.facets).kept),
    outputs: JSON.stringify(outputs),
    quality: JSON.stringify(quality),
    updated_at: time,
  }
}

/**
 * The steps (see `runPacked`) upserting the runs of many events, one per round (see
 * {@link inRounds}): a run's state moves forward only (the first terminal state stays, OTHER
 * changes nothing), START sets the start, the terminal event the end, facets merge. An event
 * naming another job's run changes nothing, and refuses the group (ForbiddenError).
 */
export function runSteps(
  trx: Transaction<LineageTables>,
  events: readonly { event: RunEvent; time: Date }[],
): Step[] {
  const rows = events.map(({ event, time }) => runRow(event, time))
  return inRounds(rows, (row) => row.run_id).flatMap((round) =>
    chunked(round).map((chunk) => ({
      query: upsertRound(trx, chunk),
      returns: { column: 'run_id', check: (folded) => refuseUnfolded(chunk, folded) },
    })),
  )
}

/** Refuses the group when a run was not folded: its event names another job's run. */
function refuseUnfolded(
  rows: readonly { run_id: string; job_namespace: string; job_name: string }[],
  folded: readonly string[],
) {
  const done = new Set(folded)
  const missing = rows.find((row) => !done.has(row.run_id))
  if (missing) throw runOfAnotherJob(missing)
}

/** Rows of distinct runs in one statement, returning the runs it folded. */
function upsertRound(trx: Transaction<LineageTables>, rows: readonly ReturnType<typeof runRow>[]) {
  return trx
    .insertInto('lineage_runs')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('run_id')
        .doUpdateSet({
          state: sql`case when lineage_runs.state in ('COMPLETED', 'FAILED', 'ABORTED') or excluded.state = 'NEW'
            then lineage_runs.state else excluded.state end`,
          started_at: sql`least(lineage_runs.started_at, excluded.started_at)`,
          ended_at: sql`case when lineage_runs.state in ('COMPLETED', 'FAILED', 'ABORTED')
            then lineage_runs.ended_at else coalesce(excluded.ended_at, lineage_runs.ended_at) end`,
          facets: sql`case when excluded.updated_at >= lineage_runs.updated_at
            then lineage_runs.facets || excluded.facets else excluded.facets || lineage_runs.facets end`,
          outputs: sql`lineage_runs.outputs || excluded.outputs`,
          quality: sql`lineage_runs.quality || excluded.quality`,
          updated_at: sql`greatest(lineage_runs.updated_at, excluded.updated_at)`,
        })
        // A run is its job's: an event naming another job's run changes nothing of it.
        .where(sql<boolean>`lineage_runs.job_namespace = excluded.job_namespace
          and lineage_runs.job_name = excluded.job_name`),
    )
    .returning('run_id')
}
