import { type OperationNodeSource, sql, type Transaction } from 'kysely'
import { ForbiddenError } from '../../core/index.js'
import type { LineageTables } from '../lineage-tables.js'

/**
 * One statement's worth of a table's change: an insert, update or delete, not yet run. A step
 * may return a column of the rows it changed and check them (the runs a run step folded, say:
 * an event naming another job's run folds nothing, see `upsertRuns`); the check throws to undo
 * the transaction.
 */
export interface Step {
  query: OperationNodeSource
  returns?: { column: string; check: (values: readonly string[]) => void }
}

/**
 * Runs each table's steps in order, the k-th step of every table in one statement (as writable
 * common table expressions: PostgreSQL runs each to completion, whether the statement reads it
 * or not). Steps of different tables never touch the same rows, so packing them together keeps
 * each table's order and the result; a group of events costs a statement or two, not one per
 * table. A list may leave a statement out (`undefined`), to wait for the other tables' steps
 * before it. The checks of a statement's steps run in the order of the tables.
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
    const ctes = sql.join(
      steps.map((step, i) => sql`${sql.raw(`s${i}`)} as (${step.query})`),
      sql`, `,
    )
    const returning = steps.flatMap(({ returns }, i) =>
      returns
        ? [
            sql`select ${sql.lit(i)} as step, ${sql.ref(returns.column)}::text as value from ${sql.raw(`s${i}`)}`,
          ]
        : [],
    )
    const main = returning.length > 0 ? sql.join(returning, sql` union all `) : sql`select 1`
    const { rows } = await sql<{ step: number; value: string }>`with ${ctes} ${main}`.execute(trx)
    for (const [i, { returns }] of steps.entries())
      returns?.check(rows.filter((row) => Number(row.step) === i).map((row) => row.value))
  }
}

/** The refusal of an event naming a run that another job's events made (not naming that job). */
export function runOfAnotherJob(run: { run_id: string; job_namespace: string; job_name: string }) {
  return new ForbiddenError(
    `Run ${run.run_id} is a run of another job, not of ${run.job_namespace}:${run.job_name}`,
  )
}
