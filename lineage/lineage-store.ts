import { createHash } from 'node:crypto'
import { type Kysely, sql, type Transaction } from 'kysely'
import { canonicalJson } from '../core/index.js'
import {
  type Facets,
  isDatasetEvent,
  isRunEvent,
  type LineageDataset,
  type LineageEvent,
  type RunEvent,
} from './events.js'
import type { LineageTables, RunOutputSummary, RunQualitySummary } from './lineage-tables.js'

/** Where OpenLineage events are kept, and the graph derived from them. */
export interface LineageStore {
  /**
   * Stores an event once (a run event by run, type and time; any event by its content) and folds
   * it into jobs, datasets, runs, edges, versions and column lineage, in one transaction.
   */
  record(event: LineageEvent, warnings?: readonly string[]): Promise<{ stored: boolean }>
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

/**
 * Facets merged as the spec says: a facet replaces its predecessor of the same key whole, the
 * newest by event time winning; `_deleted: true` removes it.
 */
function mergeFacets(
  stored: Facets,
  storedTime: Date,
  incoming: Facets | undefined,
  time: Date,
): Facets {
  if (!incoming) return stored
  const newer = time >= storedTime
  const merged = { ...stored }
  for (const [key, facet] of Object.entries(incoming)) {
    if (!newer && key in stored) continue
    if (facet?._deleted === true) delete merged[key]
    else merged[key] = facet
  }
  return merged
}

const bodyHash = (event: LineageEvent) =>
  createHash('sha256').update(canonicalJson(event)).digest('hex')

export function createLineageStore(db: Kysely<LineageTables>): LineageStore {
  async function upsertEntity(
    trx: Transaction<LineageTables>,
    table: 'lineage_jobs' | 'lineage_datasets',
    ref: { namespace: string; name: string; facets?: Facets },
    time: Date,
  ) {
    const existing = await trx
      .selectFrom(table)
      .select(['facets', 'facets_time'])
      .where('namespace', '=', ref.namespace)
      .where('name', '=', ref.name)
      .forUpdate()
      .executeTakeFirst()
    if (!existing) {
      await trx
        .insertInto(table)
        .values({
          namespace: ref.namespace,
          name: ref.name,
          facets: JSON.stringify(mergeFacets({}, time, ref.facets, time)),
          facets_time: time,
          created_at: time,
          updated_at: time,
        })
        .execute()
      return
    }
    if (!ref.facets || Object.keys(ref.facets).length === 0) return
    const facetsTime = new Date(Math.max(existing.facets_time.getTime(), time.getTime()))
    await trx
      .updateTable(table)
      .set({
        facets: JSON.stringify(
          mergeFacets(existing.facets, existing.facets_time, ref.facets, time),
        ),
        facets_time: facetsTime,
        updated_at: facetsTime,
      })
      .where('namespace', '=', ref.namespace)
      .where('name', '=', ref.name)
      .execute()
  }

  async function upsertEdge(
    trx: Transaction<LineageTables>,
    job: { namespace: string; name: string },
    dataset: LineageDataset,
    direction: 'input' | 'output',
    runId: string | null,
    time: Date,
  ) {
    await trx
      .insertInto('lineage_edges')
      .values({
        job_namespace: job.namespace,
        job_name: job.name,
        dataset_namespace: dataset.namespace,
        dataset_name: dataset.name,
        direction,
        last_run_id: runId,
        first_seen: time,
        last_seen: time,
      })
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

  async function foldRun(trx: Transaction<LineageTables>, event: RunEvent, time: Date) {
    const runId = event.run.runId
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
    const state = STATE_OF[event.eventType ?? '']
    const existing = await trx
      .selectFrom('lineage_runs')
      .selectAll()
      .where('run_id', '=', runId)
      .forUpdate()
      .executeTakeFirst()
    if (!existing) {
      await trx
        .insertInto('lineage_runs')
        .values({
          run_id: runId,
          job_namespace: event.job.namespace,
          job_name: event.job.name,
          state: state ?? 'NEW',
          started_at: event.eventType === 'START' ? time : null,
          ended_at: state && TERMINAL.has(state) ? time : null,
          facets: JSON.stringify(mergeFacets({}, time, event.run.facets, time)),
          outputs: JSON.stringify(outputs),
          quality: JSON.stringify(quality),
          updated_at: time,
        })
        .execute()
      return
    }
    const terminal = TERMINAL.has(existing.state)
    const nextState = terminal || !state ? existing.state : state
    const endedNow = !terminal && state !== undefined && TERMINAL.has(state)
    const byKey = <T extends { namespace: string; name: string }>(a: T[], b: T[]) => [
      ...a.filter((x) => !b.some((y) => y.namespace === x.namespace && y.name === x.name)),
      ...b,
    ]
    await trx
      .updateTable('lineage_runs')
      .set({
        state: nextState,
        started_at:
          event.eventType === 'START' && (!existing.started_at || time < existing.started_at)
            ? time
            : existing.started_at,
        ended_at: endedNow ? time : existing.ended_at,
        facets: JSON.stringify(
          mergeFacets(existing.facets, existing.updated_at, event.run.facets, time),
        ),
        outputs: JSON.stringify(byKey(existing.outputs, outputs)),
        quality: JSON.stringify(byKey(existing.quality, quality)),
        updated_at: time > existing.updated_at ? time : existing.updated_at,
      })
      .where('run_id', '=', runId)
      .execute()
  }

  async function fold(trx: Transaction<LineageTables>, event: LineageEvent) {
    const time = new Date(event.eventTime)
    if (isDatasetEvent(event)) {
      await upsertEntity(trx, 'lineage_datasets', event.dataset, time)
      await replaceColumnLineage(trx, event.dataset)
      return
    }
    const job = event.job
    await upsertEntity(trx, 'lineage_jobs', job, time)
    const runId = isRunEvent(event) ? event.run.runId : null
    if (isRunEvent(event)) await foldRun(trx, event, time)
    for (const input of event.inputs ?? []) {
      await upsertEntity(trx, 'lineage_datasets', input, time)
      await upsertEdge(trx, job, input, 'input', runId, time)
    }
    for (const output of event.outputs ?? []) {
      await upsertEntity(trx, 'lineage_datasets', output, time)
      await upsertEdge(trx, job, output, 'output', runId, time)
      await replaceColumnLineage(trx, output)
      if (runId && isRunEvent(event) && event.eventType === 'COMPLETE') {
        const version =
          (output.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ??
          runId
        await trx
          .insertInto('lineage_dataset_versions')
          .values({
            namespace: output.namespace,
            name: output.name,
            version,
            run_id: runId,
            created_at: time,
            facets: JSON.stringify({ ...output.facets, ...output.outputFacets }),
          })
          .onConflict((oc) => oc.doNothing())
          .execute()
      }
    }
  }

  return {
    async record(event, warnings = []) {
      const run = isRunEvent(event) ? event : undefined
      const job = 'job' in event ? event.job : undefined
      return db.transaction().execute(async (trx) => {
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
        if (!inserted) return { stored: false }
        await fold(trx, event)
        return { stored: true }
      })
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
