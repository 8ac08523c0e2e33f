import { readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DatasetStore } from '../catalog/index.js'
import {
  type DuckDBInstance,
  InvalidInputError,
  NotFoundError,
  quoteLiteral,
  readRows,
  withConnection,
} from '../core/index.js'
import type { PseudonymKeys } from '../keys/index.js'
import { findFeedContract } from './contracts/feed-contracts.js'
import { type FuseResult, runPipeline } from './fuse.js'
import { type IngestResult, ingestDelivery } from './ingest.js'
import { PIPELINES } from './pipelines/pipelines.js'
import type { Run } from './runs/run.js'
import { createRunStore, type FailedDelivery } from './runs/run-store.js'
import type { LineageSink } from './runs/with-run.js'
import type { TrustedCentreTables } from './tc-tables.js'

export interface TrustedCentreDeps {
  db: Kysely<TrustedCentreTables>
  catalog: DatasetStore
  duckdb: DuckDBInstance
  dataDir: string
  /** Keys of the pseudonyms in fused datasets (`person`) and their samples (`sample`). */
  pseudonyms: PseudonymKeys
  /** Receives the OpenLineage events of every run (the lineage store in production). */
  lineage?: LineageSink
  /** k of k-anonymity for published samples (default 5). */
  sampleK?: number
  /** Told after every fusion call, with its results (e.g. to recompute the KPIs). */
  afterFuse?: (results: readonly FuseResult[]) => Promise<void>
  /** This process in core's registry, written on every run it starts. */
  processId?: string
  now?: () => Date
}

/** Reported as long work goes, so a person can see it move. */
export interface ProgressEvent {
  phase: 'start' | 'done'
  step: 'ingest' | 'fuse'
  subject: string
  /** Present when the step is done: how it ended. */
  run?: Run
}
export type ProgressListener = (event: ProgressEvent) => void

/** A quarantined row as stewards read it. */
export interface QuarantinedRow {
  row: number
  reason: string
  rawText: string
}

/** The Trusted Centre's operations, as the CLI, start-up and (later) routes use them. */
export interface TrustedCentre {
  /** Ingests one delivered file of a feed. */
  ingest(feed: string, file: string): Promise<IngestResult>
  /** Ingests every `<feed>.csv` in a directory, in feed-name order. */
  ingestDirectory(directory: string, onProgress?: ProgressListener): Promise<IngestResult[]>
  /** Runs one pipeline, or all of them. */
  fuse(pipelineId?: string, onProgress?: ProgressListener): Promise<FuseResult[]>
  listRuns(options?: { limit?: number }): Promise<Run[]>
  /** A feed's failed ingests, newest first, with what their messages leave out. */
  failedDeliveries(feed: string, options?: { limit?: number }): Promise<FailedDelivery[]>
  /** The rows an ingest run refused, in row order. */
  quarantine(runId: string, options?: { limit?: number }): Promise<QuarantinedRow[]>
  /** Marks the runs left running by processes that died as failed, with the reason; how many. */
  failInterrupted(processIds: readonly string[]): Promise<number>
}

/** Wires the Trusted Centre's ingest, fusion and run history to its stores and engine. */
export function createTrustedCentre(deps: TrustedCentreDeps): TrustedCentre {
  const runs = createRunStore(deps.db, deps.processId ?? null)
  const now = deps.now ?? (() => new Date())
  const ingestDeps = {
    runs,
    duckdb: deps.duckdb,
    dataDir: deps.dataDir,
    now,
    ...(deps.lineage ? { lineage: deps.lineage } : {}),
  }
  const fuseDeps = {
    ...ingestDeps,
    catalog: deps.catalog,
    pseudonyms: deps.pseudonyms,
    sampleK: deps.sampleK ?? 5,
  }
  return {
    ingest: (feed, file) => ingestDelivery(ingestDeps, findFeedContract(feed), file),
    failInterrupted: (processIds) => runs.failInterrupted(processIds, now()),

    async ingestDirectory(directory) {
      const files = (await readdir(directory)).filter((f) => extname(f) === '.csv').sort()
      const results: IngestResult[] = []
      for (const file of files) {
        results.push(
          await ingestDelivery(
            ingestDeps,
            findFeedContract(basename(file, '.csv')),
            join(directory, file),
          ),
        )
      }
      return results
    },

    async fuse(pipelineId, onProgress) {
      const selected = pipelineId ? PIPELINES.filter((p) => p.id === pipelineId) : PIPELINES
      if (selected.length === 0) {
        throw new Error(
          `Unknown pipeline '${pipelineId}': expected one of ${PIPELINES.map((p) => p.id).join(', ')}`,
        )
      }
      const results: FuseResult[] = []
      for (const pipeline of selected) {
        onProgress?.({ phase: 'start', step: 'fuse', subject: pipeline.id })
        const result = await runPipeline(fuseDeps, pipeline)
        onProgress?.({ phase: 'done', step: 'fuse', subject: pipeline.id, run: result.run })
        results.push(result)
      }
      await deps.afterFuse?.(results)
      return results
    },

    listRuns: (options) => runs.listRuns(options),
    failedDeliveries: (feed, options) => runs.failedDeliveries(feed, options),

    async quarantine(runId, options = {}) {
      const run = await runs.findRun(runId)
      if (!run) throw new NotFoundError(`Run '${runId}' not found`)
      if (!run.quarantinePath)
        throw new InvalidInputError(
          `Run '${runId}' is a ${run.kind} run: only ingest runs have a quarantine`,
        )
      const path = join(deps.dataDir, run.quarantinePath)
      const rows = await withConnection(
        () => deps.duckdb.connect(),
        (conn) =>
          readRows<{ row: string; reason: string; raw_text: string }>(
            conn,
            `SELECT row, reason, raw_text FROM read_parquet(${quoteLiteral(path)}) ORDER BY row LIMIT ${Math.max(1, Math.floor(options.limit ?? 1000))}`,
          ),
      )
      return rows.map((r) => ({ row: Number(r.row), reason: r.reason, rawText: r.raw_text }))
    },
  }
}
