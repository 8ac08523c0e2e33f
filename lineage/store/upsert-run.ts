import { sql, type Transaction } from 'kysely'
import { ForbiddenError } from '../../core/index.js'
import type { RunEvent } from '../events.js'
import type { LineageTables, RunOutputSummary, RunQualitySummary } from '../lineage-tables.js'
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

/**
 * The run, in one statement: its state moves forward only (the first terminal state stays,
 * OTHER changes nothing), START sets the start, the terminal event the end, facets merge.
 * An event naming another job's run changes nothing and is refused (ForbiddenError).
 */
export async function upsertRun(trx: Transaction<LineageTables>, event: RunEvent, time: Date) {
  const { outputs, quality } = runResults(event)
  const state = STATE_OF[event.eventType ?? ''] ?? 'NEW'
  const terminal = TERMINAL.has(state)
  const folded = await trx
    .insertInto('lineage_runs')
    .values({
      run_id: event.run.runId,
      job_namespace: event.job.namespace,
      job_name: event.job.name,
      state,
      started_at: event.eventType === 'START' ? time : null,
      ended_at: terminal ? time : null,
      facets: JSON.stringify(facetChange(event.run.facets).kept),
      outputs: JSON.stringify(outputs),
      quality: JSON.stringify(quality),
      updated_at: time,
    })
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
    .executeTakeFirst()
  if (!folded)
    throw new ForbiddenError(
      `Run ${event.run.runId} is a run of another job, not of ${event.job.namespace}:${event.job.name}`,
    )
}
