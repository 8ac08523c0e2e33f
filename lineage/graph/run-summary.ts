import type { Facets } from '../events.js'
import type { RunOutputSummary, RunQualitySummary } from '../lineage-tables.js'
import { type DatasetVisibility, type EntityId, entityKey } from './entity-id.js'

/** One run of a job, as the graph and the run history show it. */
export interface RunSummary {
  id: string
  state: string
  startedAt: Date | null
  endedAt: Date | null
  durationMs: number | null
  /** The statistics of each output, null where none was reported. */
  outputs: { namespace: string; name: string; rowCount: number | null; size: number | null }[]
  quality: RunQualitySummary[]
  facets: Facets
}

/** Where a run's events stand with one external transport (HTTP, file). */
export interface RunDelivery {
  transport: string
  delivered: number
  pending: number
  /** Why the last attempt failed, while events are pending. */
  lastError: string | null
  nextAttemptAt: Date | null
}

/** A run as it is stored: every event adds to its lists of outputs and quality checks. */
export interface StoredRun {
  id: string
  state: string
  startedAt: Date | null
  endedAt: Date | null
  outputs: readonly RunOutputSummary[]
  quality: readonly RunQualitySummary[]
  facets: Facets
}

/** The last entry of each dataset, in the order each dataset first appears. */
export function newestPerDataset<T extends EntityId>(entries: readonly T[]): T[] {
  return [...new Map(entries.map((e) => [entityKey(e), e])).values()]
}

/** A run's summary: how long it took, and the newest entry per dataset of its lists. */
export function summariseRun(run: StoredRun): RunSummary {
  return {
    id: run.id,
    state: run.state,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs:
      run.startedAt && run.endedAt ? run.endedAt.getTime() - run.startedAt.getTime() : null,
    outputs: newestPerDataset(run.outputs).map((o) => ({
      namespace: o.namespace,
      name: o.name,
      rowCount: o.rowCount ?? null,
      size: o.size ?? null,
    })),
    quality: newestPerDataset(run.quality),
    facets: run.facets,
  }
}

/**
 * The runs with only the outputs and quality checks of datasets the caller may see: a run of a
 * job they may see must not name, or count the rows of, a dataset hidden from them.
 */
export async function seenRuns<R extends Pick<RunSummary, 'outputs' | 'quality'>>(
  runs: readonly R[],
  visible: DatasetVisibility,
): Promise<R[]> {
  await visible.lookUp(runs.flatMap((run) => [...run.outputs, ...run.quality]))
  return runs.map((run) => ({
    ...run,
    outputs: run.outputs.filter(visible.sees),
    quality: run.quality.filter(visible.sees),
  }))
}
