import { createHash } from 'node:crypto'
import { type Kysely, sql, type Transaction } from 'kysely'
import { ForbiddenError } from '../core/index.js'
import { canonicalJson } from '../text/index.js'
import {
  type Facets,
  isDatasetEvent,
  isRunEvent,
  type LineageDataset,
  type LineageEvent,
  type RunEvent,
} from './events.js'
import type { LineageTables, RunOutputSummary, RunQualitySummary } from './lineage-tables.js'

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
   * one is refused or `within` fails, none. `within` runs last, with each event's result.
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

/** A run's state from its events: the first terminal state stays, OTHER changes nothing. */
const STATE_OF: Record<string, string | undefined> = {
  START: 'RUNNING',
  RUNNING: 'RUNNING',
  COMPLETE: 'COMPLETED',
  FAIL: 'FAILED',
  ABORT: 'ABORTED',
}
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'ABORTED'])

/** An entity's facets as an event brings them: the ones to keep, and the ones it deletes. */
function facetChange(facets: Facets | undefined) {
  const kept: Facets = {}
  const deleted: string[] = []
  for (const [key, facet] of Object.entries(facets ?? {}))
    if (facet?._deleted === true) deleted.push(key)
    else kept[key] = facet
  return { kept, deleted }
}

const bodyHash = (event: LineageEvent) =>
  createHash('sha256').update(canonicalJson(event)).digest('hex')

const entityKey = (e: { namespace: string; name: string }) => `${e.namespace}\u0000${e.name}`

export function createLineageStore(db: Kysely<LineageTables>): LineageStore {
  /**
   * Jobs or datasets, one statement for all of an event's: a facet replaces its predecessor of
   * the same key whole, the newest by event time winning (an older event only adds keys not yet
   * known); `_deleted: true` removes it. An event without facets changes nothing.
   */
  async function upsertEntities(
    trx: Transaction<LineageTables>,
    table: 'lineage_jobs' | 'lineage_datasets',
    refs: readonly { namespace: string; name: string; facets?: Facets }[],
    time: Date,
  ) {
    const byKey = new Map<
      string,
      { namespace: string; name: string; kept: Facets; deleted: string[] }
    >()
    for (const ref of refs) {
      const change = facetChange(ref.facets)
      const found = byKey.get(entityKey(ref))
      if (found) {
        Object.assign(found.kept, change.kept)
        found.deleted.push(...change.deleted)
      } else byKey.set(entityKey(ref), { namespace: ref.namespace, name: ref.name, ...change })
    }
    if (byKey.size === 0) return
    const rows = [...byKey.values()]
    // Deleted keys travel in the row's facets under a reserved key, so one statement serves all.
    const DELETED = '__deleted'
    await trx
      .insertInto(table)
      .values(
        rows.map((r) => ({
          namespace: r.namespace,
          name: r.name,
          facets: JSON.stringify({
            ...r.kept,
            ...(r.deleted.length > 0 ? { [DELETED]: r.deleted } : {}),
          }),
          facets_time: time,
          created_at: time,
          updated_at: time,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['namespace', 'name'])
          .doUpdateSet({
            facets: sql`case when excluded.facets_time >= ${sql.ref(`${table}.facets_time`)}
              then (${sql.ref(`${table}.facets`)} || (excluded.facets - ${DELETED}))
                - coalesce(array(select jsonb_array_elements_text(excluded.facets -> ${DELETED})), '{}'::text[])
              else (excluded.facets - ${DELETED}) || ${sql.ref(`${table}.facets`)} end`,
            facets_time: sql`greatest(${sql.ref(`${table}.facets_time`)}, excluded.facets_time)`,
            updated_at: sql`greatest(${sql.ref(`${table}.updated_at`)}, excluded.updated_at)`,
          })
          .where(sql<boolean>`excluded.facets <> '{}'::jsonb`),
      )
      .execute()
    // A brand-new row keeps no deletion marker.
    const deleting = rows.filter((r) => r.deleted.length > 0)
    if (deleting.length > 0)
      await trx
        .updateTable(table)
        .set({ facets: sql`facets - ${DELETED}` })
        .where(
          sql<boolean>`(namespace, name) in (${sql.join(deleting.map((r) => sql`(${r.namespace}, ${r.name})`))})`,
        )
        .execute()
  }

  async function upsertEdges(
    trx: Transaction<LineageTables>,
    job: { namespace: string; name: string },
    datasets: readonly { dataset: LineageDataset; direction: 'input' | 'output' }[],
    runId: string | null,
    time: Date,
  ) {
    const unique = new Map(datasets.map((d) => [`${entityKey(d.dataset)}\u0000${d.direction}`, d]))
    if (unique.size === 0) return
    await trx
      .insertInto('lineage_edges')
      .values(
        [...unique.values()].map(({ dataset, direction }) => ({
          job_namespace: job.namespace,
          job_name: job.name,
          dataset_namespace: dataset.namespace,
          dataset_name: dataset.name,
          direction,
          last_run_id: runId,
          first_seen: time,
          last_seen: time,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['job_namespace', 'job_name', 'dataset_namespace', 'dataset_name', 'direction'])
          .doUpdateSet({
            last_seen: sql`greatest(lineage_edges.last_seen, excluded.last_seen)`,
            first_seen: sql`least(lineage_edges.first_seen, excluded.first_seen)`,
            last_run_id: sql`case when excluded.last_seen >= lineage_edges.last_seen then coalesce(excluded.last_run_id, lineage_edges.last_run_id) else lineage_edges.last_run_id end`,
          }),
      )
      .execute()
  }

  /** An output's column lineage replaces what was known of that dataset's columns. */
  async function replaceColumnLineage(trx: Transaction<LineageTables>, dataset: LineageDataset) {
    const facet = dataset.facets?.columnLineage as
      | {
          fields?: Record<
            string,
            {
              inputFields?: {
                namespace: string
                name: string
                field: string
                transformations?: unknown[]
              }[]
            }
          >
        }
      | undefined
    if (!facet?.fields) return
    await trx
      .deleteFrom('lineage_column_edges')
      .where('namespace', '=', dataset.namespace)
      .where('name', '=', dataset.name)
      .execute()
    const rows = Object.entries(facet.fields).flatMap(([field, lineage]) =>
      (lineage.inputFields ?? []).map((input) => ({
        namespace: dataset.namespace,
        name: dataset.name,
        field,
        input_namespace: input.namespace,
        input_name: input.name,
        input_field: input.field,
        transformations: JSON.stringify(input.transformations ?? []),
      })),
    )
    if (rows.length > 0)
      await trx
        .insertInto('lineage_column_edges')
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .execute()
  }

  /**
   * The run, in one statement: its state moves forward only (the first terminal state stays,
   * OTHER changes nothing), START sets the start, the terminal event the end, facets merge.
   */
  async function upsertRun(trx: Transaction<LineageTables>, event: RunEvent, time: Date) {
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

  async function fold(trx: Transaction<LineageTables>, event: LineageEvent) {
    const time = new Date(event.eventTime)
    if (isDatasetEvent(event)) {
      await upsertEntities(trx, 'lineage_datasets', [event.dataset], time)
      await replaceColumnLineage(trx, event.dataset)
      return
    }
    const job = event.job
    const inputs = event.inputs ?? []
    const outputs = event.outputs ?? []
    await upsertEntities(trx, 'lineage_jobs', [job], time)
    await upsertEntities(trx, 'lineage_datasets', [...inputs, ...outputs], time)
    const runId = isRunEvent(event) ? event.run.runId : null
    if (isRunEvent(event)) await upsertRun(trx, event, time)
    await upsertEdges(
      trx,
      job,
      [
        ...inputs.map((dataset) => ({ dataset, direction: 'input' as const })),
        ...outputs.map((dataset) => ({ dataset, direction: 'output' as const })),
      ],
      runId,
      time,
    )
    for (const output of outputs) await replaceColumnLineage(trx, output)
    if (runId && isRunEvent(event) && event.eventType === 'COMPLETE' && outputs.length > 0)
      await trx
        .insertInto('lineage_dataset_versions')
        .values(
          [...new Map(outputs.map((o) => [entityKey(o), o])).values()].map((output) => ({
            namespace: output.namespace,
            name: output.name,
            version:
              (output.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ??
              runId,
            run_id: runId,
            created_at: time,
            facets: JSON.stringify({ ...output.facets, ...output.outputFacets }),
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute()
  }

  /** One event, inside the caller's transaction: kept once, then folded into the graph. */
  async function insertAndFold(
    trx: Transaction<LineageTables>,
    event: LineageEvent,
    warnings: readonly string[],
  ) {
    const run = isRunEvent(event) ? event : undefined
    const job = 'job' in event ? event.job : undefined
    const inserted = await trx
      .insertInto('lineage_events')
      .values({
        run_id: run?.run.runId ?? null,
        event_kind: run ? 'RunEvent' : isDatasetEvent(event) ? 'DatasetEvent' : 'JobEvent',
        event_type: run?.eventType ?? null,
        event_time: new Date(event.eventTime),
        job_namespace: job?.namespace ?? null,
        job_name: job?.name ?? null,
        payload: JSON.stringify(event),
        body_sha256: bodyHash(event),
        warnings: warnings.length > 0 ? JSON.stringify(warnings) : null,
      })
      // The same run, type and time, or the same content, is one event however often it comes.
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) await fold(trx, event)
    return { stored: inserted !== undefined }
  }

  return {
    async record(event, warnings = [], options = {}) {
      return db.transaction().execute(async (trx) => {
        const result = await insertAndFold(trx, event, warnings)
        await options.within?.(trx as unknown as Kysely<unknown>, result)
        return result
      })
    },
    async recordAll(events, options = {}) {
      if (events.length === 0) return []
      return db.transaction().execute(async (trx) => {
        const results: { stored: boolean }[] = []
        for (const { event, warnings = [] } of events)
          results.push(await insertAndFold(trx, event, warnings))
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
