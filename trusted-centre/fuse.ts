import { stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { DatasetId, DatasetStore, PublishResult, QualitySummary } from '../catalog/index.js'
import type { DuckDBConnection, DuckDBInstance } from '../core/index.js'
import { quoteIdent, quoteLiteral, readRows, sha256File, withConnection } from '../core/index.js'
import type { SampleColumn } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import type { PseudonymKeys } from '../keys/index.js'
import { bindHmacKey, samplePseudonymScope } from '../keys/index.js'
import { dataLayout } from './data-layout.js'
import { mkdirFor, moveIntoPlace, removeIfPresent } from './files.js'
import { makeSample, type SamplePolicy } from './make-sample.js'
import type { Pipeline } from './pipeline.js'
import { assertionExpression, judge, summarise } from './quality.js'
import { createReferenceTables } from './reference-tables.js'
import { newRunId, type Run } from './run.js'
import { fuseEvent, type LineageSink, pipelineColumnLineage, qualityEvents } from './run-lineage.js'
import type { RunStore } from './run-store.js'

export interface FuseDeps {
  runs: RunStore
  /** Receives an OpenLineage START and COMPLETE/FAIL event for every run. */
  lineage?: LineageSink
  catalog: DatasetStore
  duckdb: DuckDBInstance
  dataDir: string
  /** Keys of the pseudonyms it writes: `person` in the pipelines' SQL, `sample` in samples. */
  pseudonyms: PseudonymKeys
  /** k of k-anonymity for published samples. */
  sampleK: number
  now: () => Date
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
  const startedAt = deps.now()
  const runId = newRunId(startedAt)
  await deps.runs.startRun({ id: runId, kind: 'fuse', subject: pipeline.id, startedAt })
  const started = await deps.runs.findRun(runId)
  if (started) await deps.lineage?.record(fuseEvent(pipeline, started, 'START'))
  const pending = join(deps.dataDir, dataLayout.pendingVersion(pipeline.dataset.slug, runId))
  try {
    const inputs = await currentSnapshots(deps, pipeline)
    const timings: FuseTimings = { fuseMs: 0, qualityMs: 0, publishMs: 0, sampleMs: 0 }
    let clock = performance.now()
    const lap = () => {
      const now = performance.now()
      const ms = now - clock
      clock = now
      return Math.round(ms)
    }
    const measured = await withConnection(
      () => deps.duckdb.connect(),
      async (conn) => {
        await prepareInputs(conn, deps, inputs)
        await mkdirFor(pending)
        const order = pipeline.key.map(quoteIdent).join(', ')
        await conn.run(
          `COPY (SELECT * FROM (${pipeline.sql}) ORDER BY ${order}) TO ${quoteLiteral(pending)} (FORMAT parquet, COMPRESSION zstd)`,
        )
        const output = await measureOutput(conn, pending)
        const columnLineage = await pipelineColumnLineage(conn, pipeline)
        timings.fuseMs = lap()
        const quality = await checkQuality(conn, pipeline, pending, deps.now())
        timings.qualityMs = lap()
        return { ...output, quality, columnLineage }
      },
    )
    const { quality } = measured
    if (quality.blockingFailures > 0) {
      // The previous version stays current; the failed candidate is not kept.
      await removeIfPresent(pending)
      const failed = quality.results.filter((r) => !r.passed && r.severity === 'blocking')
      const run = await deps.runs.finishRun(runId, deps.now(), {
        status: 'failed',
        quality,
        message: `Not published: blocking quality assertion failed: ${failed.map((r) => `${r.name} observed ${r.observed}, expected ${r.expected}`).join('; ')}`,
      })
      await deps.lineage?.record(
        fuseEvent(pipeline, run, 'FAIL', { schema: measured.schema, error: run.message }),
      )
      for (const event of qualityEvents(pipeline, run)) await deps.lineage?.record(event)
      return { run, timings, publication: undefined, quality }
    }
    const content = {
      rowCount: measured.rowCount,
      schema: measured.schema,
      quality,
      byteSize: (await stat(pending)).size,
      contentSha256: await sha256File(pending),
      runId,
    }
    const publication = await deps.catalog.publishVersion(
      pipeline.dataset,
      content,
      async (version) => {
        const path = dataLayout.version(pipeline.dataset.slug, version)
        await moveIntoPlace(pending, join(deps.dataDir, path))
        return path
      },
    )
    if (!publication.created) await removeIfPresent(pending)
    timings.publishMs = lap()
    if (publication.created) await publishSample(deps, pipeline, publication, runId)
    timings.sampleMs = lap()
    const run = await deps.runs.finishRun(runId, deps.now(), {
      status: 'succeeded',
      quality,
      outputVersion: publication.version,
      published: publication.created,
      message: publication.created
        ? `Published ${pipeline.dataset.slug} v${publication.version} with ${measured.rowCount} rows`
        : `Unchanged: ${pipeline.dataset.slug} v${publication.version} is current`,
    })
    await deps.lineage?.record(
      fuseEvent(pipeline, run, 'COMPLETE', {
        schema: measured.schema,
        columnLineage: measured.columnLineage,
        rowCount: content.rowCount,
        bytes: content.byteSize,
        published: {
          version: publication.version,
          file: resolve(
            deps.dataDir,
            dataLayout.version(pipeline.dataset.slug, publication.version),
          ),
        },
      }),
    )
    for (const event of qualityEvents(pipeline, run)) await deps.lineage?.record(event)
    return { run, timings, publication, quality }
  } catch (error) {
    await removeIfPresent(pending)
    // The engine's words may quote the data it choked on: withheld, as for a failed ingest (the
    // error is thrown on, to the operator who ran it and the server log).
    const message =
      'Fusion failed: the pipeline stopped with an engine error; nothing was published'
    const run = await deps.runs.finishRun(runId, deps.now(), {
      status: 'failed',
      message,
      withheld: { error: error instanceof Error ? error.message : String(error) },
    })
    await deps.lineage?.record(fuseEvent(pipeline, run, 'FAIL', { error: message }))
    throw error
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
        key: pipeline.key,
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

/** Measures every assertion of the pipeline over the candidate file. */
async function checkQuality(conn: DuckDBConnection, pipeline: Pipeline, file: string, now: Date) {
  if (pipeline.assertions.length === 0) return summarise([])
  const measures = pipeline.assertions.map((a, i) => `${assertionExpression(a, now)} AS m${i}`)
  const [row] = await readRows<Record<string, string | number>>(
    conn,
    `SELECT ${measures.join(', ')} FROM read_parquet(${quoteLiteral(file)})`,
  )
  return summarise(pipeline.assertions.map((a, i) => judge(a, Number(row?.[`m${i}`] ?? 0))))
}

async function measureOutput(conn: DuckDBConnection, file: string) {
  const schema = await readRows<{ column_name: string; column_type: string }>(
    conn,
    `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`,
  )
  const [count] = await readRows<{ n: string }>(
    conn,
    `SELECT count(*) AS n FROM read_parquet(${quoteLiteral(file)})`,
  )
  return {
    rowCount: Number(count?.n ?? 0),
    schema: schema.map((c) => ({ name: c.column_name, type: c.column_type })),
  }
}
