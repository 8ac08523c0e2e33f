import { sql, type Transaction } from 'kysely'
import {
  isDatasetEvent,
  isRunEvent,
  type LineageDataset,
  type LineageEvent,
  type RunEvent,
} from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import { columnLineageSteps } from './column-edges.js'
import { runPacked, type Step } from './packed-statements.js'
import { chunked, inRounds } from './rounds.js'
import { type EntityMentions, entityKey, entitySteps } from './upsert-entities.js'
import { runSteps } from './upsert-run.js'

type EdgeRow = LineageTables['lineage_edges']

/** One event's job-to-dataset edges, each once. */
function edgeRows(
  job: { namespace: string; name: string },
  inputs: readonly LineageDataset[],
  outputs: readonly LineageDataset[],
  runId: string | null,
  time: Date,
): EdgeRow[] {
  const datasets = [
    ...inputs.map((dataset) => ({ dataset, direction: 'input' as const })),
    ...outputs.map((dataset) => ({ dataset, direction: 'output' as const })),
  ]
  const unique = new Map(datasets.map((d) => [`${entityKey(d.dataset)}\u0000${d.direction}`, d]))
  return [...unique.values()].map(({ dataset, direction }) => ({
    job_namespace: job.namespace,
    job_name: job.name,
    dataset_namespace: dataset.namespace,
    dataset_name: dataset.name,
    direction,
    last_run_id: runId,
    first_seen: time,
    last_seen: time,
  }))
}

const edgeKey = (e: EdgeRow) =>
  [e.job_namespace, e.job_name, e.dataset_namespace, e.dataset_name, e.direction].join('\u0000')

/** The steps upserting job-to-dataset edges, one per round (see `inRounds`). */
function edgeSteps(trx: Transaction<LineageTables>, rows: readonly EdgeRow[]): Step[] {
  return inRounds(rows, edgeKey).flatMap((round) =>
    chunked(round).map((chunk) => ({
      query: trx
        .insertInto('lineage_edges')
        .values(chunk)
        .onConflict((oc) =>
          oc
            .columns([
              'job_namespace',
              'job_name',
              'dataset_namespace',
              'dataset_name',
              'direction',
            ])
            .doUpdateSet({
              last_seen: sql`greatest(lineage_edges.last_seen, excluded.last_seen)`,
              first_seen: sql`least(lineage_edges.first_seen, excluded.first_seen)`,
              last_run_id: sql`case when excluded.last_seen >= lineage_edges.last_seen then coalesce(excluded.last_run_id, lineage_edges.last_run_id) else lineage_edges.last_run_id end`,
            }),
        ),
    })),
  )
}

/** A completed run's outputs, each once, as versions (the dataset's own version, else the run). */
function versionRows(outputs: readonly LineageDataset[], runId: string, time: Date) {
  return [...new Map(outputs.map((o) => [entityKey(o), o])).values()].map((output) => ({
    namespace: output.namespace,
    name: output.name,
    version:
      (output.facets?.version as { datasetVersion?: string } | undefined)?.datasetVersion ?? runId,
    run_id: runId,
    created_at: time,
    facets: JSON.stringify({ ...output.facets, ...output.outputFacets }),
  }))
}

/** Versions of many events: the first of each is kept, as inserting them one by one would. */
function versionSteps(
  trx: Transaction<LineageTables>,
  rows: readonly ReturnType<typeof versionRows>[number][],
): Step[] {
  const first = new Map<string, (typeof rows)[number]>()
  for (const row of rows) {
    const key = [row.namespace, row.name, row.version].join('\u0000')
    if (!first.has(key)) first.set(key, row)
  }
  return chunked([...first.values()]).map((chunk) => ({
    query: trx
      .insertInto('lineage_dataset_versions')
      .values(chunk)
      .onConflict((oc) => oc.doNothing()),
  }))
}

/**
 * Folds newly stored events (in the order given) into the graph, inside their transaction: jobs,
 * datasets, runs, edges, column lineage and, when a run completes, its outputs' versions. One
 * step per table for all of them (more only where one event's change must follow another's on
 * the same row, see `inRounds`), the tables' steps packed into one statement (see `runPacked`),
 * so a group of events costs about what one does. The result is that of folding them one by
 * one; an event naming another job's run refuses the whole group (ForbiddenError). `first`, steps
 * of another table (the events' own rows, say), go with the fold's statements, checked first.
 */
export async function foldEvents(
  trx: Transaction<LineageTables>,
  events: readonly LineageEvent[],
  first: readonly Step[] = [],
) {
  const jobs: EntityMentions[] = []
  const datasets: EntityMentions[] = []
  const runs: { event: RunEvent; time: Date }[] = []
  const edges: EdgeRow[] = []
  const columnLineage: LineageDataset[] = []
  const versions: ReturnType<typeof versionRows> = []
  for (const event of events) {
    const time = new Date(event.eventTime)
    if (isDatasetEvent(event)) {
      datasets.push({ refs: [event.dataset], time })
      columnLineage.push(event.dataset)
      continue
    }
    const inputs = event.inputs ?? []
    const outputs = event.outputs ?? []
    jobs.push({ refs: [event.job], time })
    datasets.push({ refs: [...inputs, ...outputs], time })
    const run = isRunEvent(event) ? event : undefined
    if (run) runs.push({ event: run, time })
    edges.push(...edgeRows(event.job, inputs, outputs, run?.run.runId ?? null, time))
    columnLineage.push(...outputs)
    if (run?.eventType === 'COMPLETE') versions.push(...versionRows(outputs, run.run.runId, time))
  }
  // A dataset's column lineage and versions change only after its row is locked by the upsert
  // of datasets (in key order, a statement before): concurrent transactions replacing one
  // dataset's column lineage then take their turns instead of deadlocking over its rows.
  const afterDatasets = (steps: Step[]) => (steps.length > 0 ? [undefined, ...steps] : [])
  const columnEdges = columnLineageSteps(columnLineage)
  await runPacked(trx, [
    first,
    entitySteps(trx, 'lineage_jobs', jobs),
    entitySteps(trx, 'lineage_datasets', datasets),
    runSteps(trx, runs),
    edgeSteps(trx, edges),
    afterDatasets(columnEdges.deletes),
    afterDatasets(columnEdges.upserts),
    afterDatasets(versionSteps(trx, versions)),
  ])
}
