import type { Kysely, Selectable } from 'kysely'
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

/** Each job's most recently updated run, keyed by {@link entityKey}; jobs without runs are absent. */
export async function latestRuns(db: Db, jobs: readonly EntityId[]) {
  if (jobs.length === 0) return new Map<string, RunSummary>()
  const rows = await db
    .selectFrom('lineage_runs')
    .selectAll()
    .where((eb) =>
      eb.or(
        jobs.map((j) =>
          eb.and([eb('job_namespace', '=', j.namespace), eb('job_name', '=', j.name)]),
        ),
      ),
    )
    .orderBy('updated_at', 'desc')
    .execute()
  const latest = new Map<string, RunSummary>()
  for (const row of rows) {
    const k = entityKey({ namespace: row.job_namespace, name: row.job_name })
    if (!latest.has(k)) latest.set(k, rowToRunSummary(row))
  }
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
