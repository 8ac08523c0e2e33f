import { readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { Kysely } from 'kysely'
import type { DatasetStore } from '../catalog/index.js'
import type { DuckDBInstance } from '../core/index.js'
import { findFeedContract } from './feed-contracts.js'
import { type FuseResult, runPipeline } from './fuse.js'
import { type IngestResult, ingestDelivery } from './ingest.js'
import { PIPELINES } from './pipelines.js'
import type { Run } from './run.js'
import { createRunStore } from './run-store.js'
import type { TrustedCentreTables } from './tc-tables.js'

export interface TrustedCentreDeps {
  db: Kysely<TrustedCentreTables>
  catalog: DatasetStore
  duckdb: DuckDBInstance
  dataDir: string
  pseudonymKey: string
  /** k of k-anonymity for published samples (default 5). */
  sampleK?: number
  now?: () => Date
}

/** The Trusted Centre's operations, as the CLI, start-up and (later) routes use them. */
export interface TrustedCentre {
  /** Ingests one delivered file of a feed. */
  ingest(feed: string, file: string): Promise<IngestResult>
  /** Ingests every `<feed>.csv` in a directory, in feed-name order. */
  ingestDirectory(directory: string): Promise<IngestResult[]>
  /** Runs one pipeline, or all of them. */
  fuse(pipelineId?: string): Promise<FuseResult[]>
  listRuns(options?: { limit?: number }): Promise<Run[]>
}

/** Wires the Trusted Centre's ingest, fusion and run history to its stores and engine. */
export function createTrustedCentre(deps: TrustedCentreDeps): TrustedCentre {
  const runs = createRunStore(deps.db)
  const now = deps.now ?? (() => new Date())
  const ingestDeps = { runs, duckdb: deps.duckdb, dataDir: deps.dataDir, now }
  const fuseDeps = {
    ...ingestDeps,
    catalog: deps.catalog,
    pseudonymKey: deps.pseudonymKey,
    sampleK: deps.sampleK ?? 5,
  }
  return {
    ingest: (feed, file) => ingestDelivery(ingestDeps, findFeedContract(feed), file),

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

    async fuse(pipelineId) {
      const selected = pipelineId ? PIPELINES.filter((p) => p.id === pipelineId) : PIPELINES
      if (selected.length === 0) {
        throw new Error(
          `Unknown pipeline '${pipelineId}': expected one of ${PIPELINES.map((p) => p.id).join(', ')}`,
        )
      }
      const results: FuseResult[] = []
      for (const pipeline of selected) results.push(await runPipeline(fuseDeps, pipeline))
      return results
    },

    listRuns: (options) => runs.listRuns(options),
  }
}
