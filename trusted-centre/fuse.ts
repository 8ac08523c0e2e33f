import { join, resolve } from 'node:path'
import type { DatasetId, DatasetStore, PublishResult, QualitySummary } from '../catalog/index.js'
import type { DuckDBConnection, DuckDBInstance } from '../core/index.js'
import { quoteIdent, quoteLiteral, sha256File, withConnection } from '../core/index.js'
import { type SampleColumn, samplePreviewPath } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import type { PseudonymKeys } from '../keys/index.js'
import { bindHmacKey, samplePseudonymScope } from '../keys/index.js'
import { dataLayout } from './data-layout.js'
import { mkdirFor, moveIntoPlace, removeIfPresent } from './files.js'
import { makeSample, type SamplePolicy } from './make-sample.js'
import { measureQuality } from './measure-quality.js'
import type { Pipeline } from './pipelines/pipeline.js'
import { publishCandidate } from './publish.js'
import { createReferenceTables } from './reference-tables.js'
import type { Run } from './runs/run.js'
import {
  type FuseEventDetails,
  fusionRunEvents,
  pipelineColumnLineage,
} from './runs/run-lineage.js'
import { type RunDeps, type RunEnding, withRun } from './runs/with-run.js'
import { fusedWriteFor, writeFused } from './write-fused.js'

export interface FuseDeps extends RunDeps {
  catalog: DatasetStore
  duckdb: DuckDBInstance
  dataDir: string
  /** Keys of the pseudonyms it writes: `person` in the pipelines' SQL, `sample` in samples. */
  pseudonyms: PseudonymKeys
  /** k of k-anonymity for published samples. */
  sampleK: number
}

/** Where a fusion run spent its time, in milliseconds. */
export interface FuseTimings {
  fuseMs: number
  qualityMs: number
  publishMs: number
  sampleMs: number
}

export interface FuseResult {
  run: Run
  timings: FuseTimings
  /** Undefined when a blocking quality assertion failed: nothing was published. */
  publication: PublishResult | undefined
  quality: QualitySummary
}

/**
 * Runs a fusion pipeline over the current snapshot of each input feed and publishes the result
 * as the dataset's next immutable version. The file is written under a temporary name and only
 * renamed to `tc/<dataset>/v<N>.parquet` inside the catalogue's publishing transaction, so a
 * crash never leaves half a version; a result equal to the current version publishes nothing.
 */
export async function runPipeline(deps: FuseDeps, pipeline: Pipeline): Promise<FuseResult> {
  const plan = {
    kind: 'fuse' as const,
    subject: pipeline.id,
    events: fusionRunEvents(pipeline),
    // The engine's words may quote the data it choked on: withheld, as for a failed ingest.
    failure: 'Fusion failed: the pipeline stopped with an engine error; nothing was published',
  }
  const { run, result } = await withRun(deps, plan, (runId) => fuse(deps, pipeline, runId))
  return { run, ...result }
}

/**
 * The fusion itself: the pipeline's SQL over its inputs, written as a candidate; its quality
 * measured; published unless a blocking assertion failed; then its sample.
 */
async function fuse(
  deps: FuseDeps,
  pipeline: Pipeline,
  runId: string,
): Promise<RunEnding<Omit<FuseResult, 'run'>, FuseEventDetails>> {
  const slug = pipeline.dataset.slug
  const pending = join(deps.dataDir, dataLayout.pendingVersion(slug, runId))
  try {
    const inputs = await currentSnapshots(deps, pipeline)
    const timings: FuseTimings = { fuseMs: 0, qualityMs: 0, publishMs: 0, sampleMs: 0 }
    const lap = stopwatch()
    const candidate = await withConnection(
      () => deps.duckdb.connect(),
      async (conn) => {
        await prepareInputs(conn, deps, inputs)
        const paths = inputs.flatMap((input) => input.paths)
        const written = await writeFused(conn, pipeline, pending, await fusedWriteFor(conn, paths))
        const columnLineage = await pipelineColumnLineage(conn, pipeline)
        timings.fuseMs = lap()
        // The file is hashed (for the catalogue) while DuckDB measures its quality: the hash
        // reads it in this thread, the checks in the engine's.
        const [quality, contentSha256] = await Promise.all([
          measureQuality(conn, pipeline, written.file, deps.now()),
          sha256File(written.file),
        ])
        timings.qualityMs = lap()
        return { ...written, contentSha256, quality, columnLineage }
      },
    )
    const { quality, schema, rowCount } = candidate
    if (quality.blockingFailures > 0) {
      // The previous version stays current; the failed candidate is not kept.
      const failed = quality.results.filter((r) => !r.passed && r.severity === 'blocking')
      const message = `Not published: blocking quality assertion failed: ${failed.map((r) => `${r.name} observed ${r.observed}, expected ${r.expected}`).join('; ')}`
      return {
        outcome: { status: 'failed', quality, message },
        details: { schema },
        result: { timings, publication: undefined, quality },
      }
    }
    const { publication, byteSize } = await publishCandidate(deps, candidate, {
      dataset: pipeline.dataset,
      target: (version) => dataLayout.version(slug, version),
      runId,
      quality,
    })
    timings.publishMs = lap()
    if (publication.created) await publishSample(deps, pipeline, publication, runId)
    timings.sampleMs = lap()
    const { version, created } = publication
    return {
      outcome: {
        status: 'succeeded',
        quality,
        outputVersion: version,
        published: created,
        message: created
          ? `Published ${slug} v${version} with ${rowCount} rows`
          : `Unchanged: ${slug} v${version} is current`,
      },
      details: {
        schema,
        columnLineage: candidate.columnLineage,
        rowCount,
        bytes: byteSize,
        published: { version, file: resolve(deps.dataDir, dataLayout.version(slug, version)) },
      },
      result: { timings, publication, quality },
    }
  } finally {
    // Published, the candidate has been renamed; otherwise it is not kept.
    await removeIfPresent(pending)
  }
}

/** Milliseconds since the last call (or since it was made), rounded. */
function stopwatch() {
  let clock = performance.now()
  return () => {
    const now = performance.now()
    const ms = now - clock
    clock = now
    return Math.round(ms)
  }
}

/**
 * The accepted rows each input stands for: the newest delivery of a snapshot feed, every
 * delivery of a delta feed (in delivery order).
 */
async function currentSnapshots(deps: FuseDeps, pipeline: Pipeline) {
  return Promise.all(
    pipeline.inputs.map(async (feed) => {
      const runs =
        feed.delivery === 'delta'
          ? await deps.runs.acceptedIngests(feed.id)
          : [await deps.runs.latestAcceptedIngest(feed.id)].filter((r) => r !== undefined)
      const paths = runs.flatMap((run) =>
        run.stagingPath ? [join(deps.dataDir, run.stagingPath)] : [],
      )
      if (paths.length === 0) {
        throw new Error(`No accepted delivery of feed '${feed.id}' yet: ingest one first`)
      }
      return { feed: feed.id, paths }
    }),
  )
}

async function prepareInputs(
  conn: DuckDBConnection,
  deps: FuseDeps,
  inputs: { feed: string; paths: string[] }[],
) {
  // Dates derived from timestamps follow Singapore time, whatever the server's zone.
  await conn.run(`SET TimeZone = 'Asia/Singapore'`)
  // The person key reaches the SQL only as bound variables (see hmacSql), never in its text.
  await bindHmacKey(conn, 'person_key', deps.pseudonyms.keyOf('person'))
  await createReferenceTables(conn)
  for (const input of inputs) {
    await conn.run(
      `CREATE OR REPLACE TEMP VIEW ${quoteIdent(input.feed)} AS SELECT * FROM read_parquet([${input.paths.map(quoteLiteral).join(', ')}])`,
    )
  }
}

/**
 * Makes the de-identified sample of a newly published version and records it (or why there is
 * none). Sensitive-High datasets never get a row-level sample. A sample problem does not undo
 * the version.
 */
async function publishSample(
  deps: FuseDeps,
  pipeline: Pipeline,
  publication: PublishResult,
  runId: string,
) {
  const slug = pipeline.dataset.slug
  const k = deps.sampleK
  if (pipeline.dataset.classification.sensitivity === 'sensitive-high') {
    await deps.catalog.recordSample(publication.datasetId, publication.version, {
      status: 'refused',
      k,
      reason: 'Sensitive High: no row-level sample leaves the Trusted Centre',
      details: {},
    })
    return
  }
  const pending = join(deps.dataDir, dataLayout.pendingSample(slug, runId))
  await mkdirFor(pending)
  const outcome = await withConnection(
    () => deps.duckdb.connect(),
    async (conn) =>
      makeSample(conn, {
        source: join(deps.dataDir, dataLayout.version(slug, publication.version)),
        target: pending,
        ...(await sampleSettings(deps.catalog, publication.datasetId, pipeline)),
        k,
        sampleKey: deps.pseudonyms.keyOf(samplePseudonymScope(slug, publication.version)),
      }),
  )
  if (outcome.status === 'refused') {
    await deps.catalog.recordSample(publication.datasetId, publication.version, {
      ...outcome,
      details: {},
    })
    return
  }
  const path = dataLayout.sample(slug, publication.version)
  await moveIntoPlace(samplePreviewPath(pending), samplePreviewPath(join(deps.dataDir, path)))
  await moveIntoPlace(pending, join(deps.dataDir, path))
  await deps.catalog.recordSample(publication.datasetId, publication.version, {
    status: 'published',
    path,
    rowCount: outcome.rows,
    k,
    details: { report: outcome.report },
  })
}

/**
 * The version's columns as the catalogue labels them now (stewards' reasons and glossary terms
 * included), and the pipeline's sample policy with the levels the steward asks to keep.
 */
async function sampleSettings(
  catalog: DatasetStore,
  datasetId: DatasetId,
  pipeline: Pipeline,
): Promise<{ columns: SampleColumn[]; policy: SamplePolicy }> {
  const dataset = await catalog.findDataset(datasetId, systemAbility())
  const policy = pipeline.sample ?? { size: 1000 }
  const columns = (dataset?.columns ?? []).map((c) => ({
    name: c.name,
    type: c.type,
    personalData: c.personalData,
    glossary: (dataset?.glossary[c.name] ?? []).map((t) => t.term),
    ...(c.personalDataReason
      ? { decision: { kind: c.personalData, reason: c.personalDataReason } }
      : {}),
  }))
  return { columns, policy: { ...policy, keep: { ...policy.keep, ...dataset?.sampleKeep } } }
}
