import { sql, type Transaction } from 'kysely'
import {
  isDatasetEvent,
  isRunEvent,
  type LineageDataset,
  type LineageEvent,
  type RunEvent,
} from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import { replaceColumnLineage } from './column-edges.js'
import { entityKey, upsertEntities } from './upsert-entities.js'
import { upsertRun } from './upsert-run.js'

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

/** A completed run's outputs, each once, as versions (the dataset's own version, else the run). */
async function insertVersions(
  trx: Transaction<LineageTables>,
  outputs: readonly LineageDataset[],
  runId: string,
  time: Date,
) {
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

/**
 * Folds a newly stored event into the graph, inside its transaction: jobs, datasets, the run,
 * edges, column lineage and, when a run completes, its outputs' versions.
 */
export async function foldEvent(trx: Transaction<LineageTables>, event: LineageEvent) {
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
  const run: RunEvent | undefined = isRunEvent(event) ? event : undefined
  const runId = run ? run.run.runId : null
  if (run) await upsertRun(trx, run, time)
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
  if (runId && run?.eventType === 'COMPLETE' && outputs.length > 0)
    await insertVersions(trx, outputs, runId, time)
}
