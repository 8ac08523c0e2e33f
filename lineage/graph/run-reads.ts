import { type Kysely, type Selectable, sql } from 'kysely'
import type { LineageTables } from '../lineage-tables.js'
import { type EntityId, entityKey } from './entity-id.js'
import { type RunDelivery, type RunSummary, summariseRun } from './run-summary.js'

type Db = Kysely<LineageTables>

const rowToRunSummary = (row: Selectable<LineageTables['lineage_runs']>): RunSummary =>
  summariseRun({
    id: row.run_id,
    state: row.state,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outputs: row.outputs,
    quality: row.quality,
    facets: row.facets,
  })

/**
 * Each job's most recently updated run, keyed by {@link entityKey}; jobs without runs are absent.
 * One run a job, by the runs' update index, however many runs a job has had.
 */
export async function latestRuns(db: Db, jobs: readonly EntityId[]) {
  const latest = new Map<string, RunSummary>()
  if (jobs.length === 0) return latest
  // The jobs as two arrays (two parameters however many), each joined to its newest run.
  const { rows } = await sql<Selectable<LineageTables['lineage_runs']>>`
    select r.* from unnest(${jobs.map((j) => j.namespace)}::text[], ${jobs.map((j) => j.name)}::text[])
      as j(namespace, name)
    cross join lateral (select * from lineage_runs
      where job_namespace = j.namespace and job_name = j.name
      order by updated_at desc limit 1) r`.execute(db)
  for (const row of rows)
    latest.set(
      entityKey({ namespace: row.job_namespace, name: row.job_name }),
      rowToRunSummary(row),
    )
  return latest
}

/** Per run, how its events fare with each external transport (from the outbox). */
export async function deliveryOfRuns(db: Db, runIds: string[]) {
  const byRun = new Map<string, RunDelivery[]>()
  if (runIds.length === 0) return byRun
  const rows = await db
    .selectFrom('lineage_outbox')
    .select((eb) => [
      'run_id',
      'transport',
      eb.fn.countAll<string>().filterWhere('delivered_at', 'is not', null).as('delivered'),
      eb.fn.countAll<string>().filterWhere('delivered_at', 'is', null).as('pending'),
      eb.fn.max('last_error').filterWhere('delivered_at', 'is', null).as('last_error'),
      eb.fn.min('next_attempt_at').filterWhere('delivered_at', 'is', null).as('next_attempt_at'),
    ])
    .where('run_id', 'in', runIds)
    .groupBy(['run_id', 'transport'])
    .orderBy('transport')
    .execute()
  for (const row of rows) {
    const pending = Number(row.pending)
    const list = byRun.get(row.run_id as string) ?? []
    list.push({
      transport: row.transport,
      delivered: Number(row.delivered),
      pending,
      lastError: row.last_error ?? null,
      nextAttemptAt: pending > 0 ? (row.next_attempt_at ?? null) : null,
    })
    byRun.set(row.run_id as string, list)
  }
  return byRun
}

/** A page of a job's runs, newest first, with how many it has in all. */
export async function runsOfJob(db: Db, job: EntityId, page: { limit: number; offset: number }) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('lineage_runs')
      .selectAll()
      .where('job_namespace', '=', job.namespace)
      .where('job_name', '=', job.name)
      .orderBy('updated_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('lineage_runs')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('job_namespace', '=', job.namespace)
      .where('job_name', '=', job.name)
      .executeTakeFirstOrThrow(),
  ])
  return { runs: rows.map(rowToRunSummary), totalCount: Number(total.n) }
}
