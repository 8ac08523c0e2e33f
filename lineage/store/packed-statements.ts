import { type Compilable, type OperationNodeSource, sql, type Transaction } from 'kysely'
import { ForbiddenError } from '../../core/index.js'
import type { LineageTables } from '../lineage-tables.js'

/**
 * One statement's worth of a table's change: an insert, update or delete, not yet run. A step
 * that upserts runs names the runs it must fold (an event naming another job's run folds
 * nothing, see `upsertRuns`).
 */
export interface Step {
  query: OperationNodeSource & Compilable
  runs?: readonly { run_id: string; job_namespace: string; job_name: string }[]
}

/**
 * Runs each table's steps in order, the k-th step of every table in one statement (as writable
 * common table expressions: PostgreSQL runs each to completion, whether the statement reads it
 * or not). Steps of different tables never touch the same rows, so packing them together keeps
 * each table's order and the result; a group of events costs a statement or two, not one per
 * table. A list may leave a statement out (`undefined`), to wait for the other tables' steps
 * before it. Throws ForbiddenError when a run step folded less than it should.
 */
export async function runPacked(
  trx: Transaction<LineageTables>,
  tables: readonly (readonly (Step | undefined)[])[],
) {
  const statements = Math.max(0, ...tables.map((steps) => steps.length))
  for (let k = 0; k < statements; k++) {
    const steps = tables.flatMap((list): Step[] => {
      const step = list[k]
      return step ? [step] : []
    })
    if (steps.length === 0) continue
    const runsAt = steps.findIndex((step) => step.runs)
    const ctes = sql.join(
      steps.map((step, i) => sql`${sql.raw(`s${i}`)} as (${step.query})`),
      sql`, `,
    )
    const main =
      runsAt >= 0 ? sql`select run_id from ${sql.raw(`s${runsAt}`)}` : sql`select 1 as done`
    const { rows } = await sql<{ run_id?: string }>`with ${ctes} ${main}`.execute(trx)
    const expected = steps[runsAt]?.runs ?? []
    const folded = new Set(rows.map((row) => row.run_id))
    const missing = expected.find((run) => !folded.has(run.run_id))
    if (missing) throw runOfAnotherJob(missing)
  }
}

/** The refusal of an event naming a run that another job's events made (not naming that job). */
export function runOfAnotherJob(run: { run_id: string; job_namespace: string; job_name: string }) {
  return new ForbiddenError(
    `Run ${run.run_id} is a run of another job, not of ${run.job_namespace}:${run.job_name}`,
  )
}
