import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import type { Entitlement } from '../access/index.js'
import type { AuditLog } from '../audit/index.js'
import { bytesOf, type DuckDBInstance, type Logger } from '../core/index.js'
import type { AppAbility, User } from '../identity/index.js'
import type { PseudonymKeys } from '../keys/index.js'
import { createAggregateReleases } from './aggregate-releases.js'
import { copiesDirectory, streamAnswerFile, sweepCopies } from './answer-file.js'
import { FILE_FORMATS, type FileFormat, type QueryFormat } from './answer-formats.js'
import { answerWriter } from './answer-writer.js'
import { type CallerView, viewsOf } from './caller-views.js'
import { errorOfFailure, QueryRefusedError } from './errors.js'
import { type Extract, type ExtractRequest, openExtract } from './extract.js'
import { jsonAnswerBody } from './json-answer.js'
import type { QueryServiceTables } from './migrations.js'
import { createOpenAnswers, type OpenAnswer } from './open-answers.js'
import type { OutputRules } from './output-checks.js'
import { freeSlotsOf } from './person-slots.js'
import { createProjections } from './projections.js'
import { createQueryHistory } from './query-history.js'
import type { QueryLimits } from './query-limits.js'
import type { QueryPool } from './query-pool.js'
import { createQueryRecords, outcomeOf, type Run } from './query-records.js'
import { createQueryWorkers, type WorkerLease } from './query-workers.js'
import { createRunningQueries } from './running-queries.js'
import { type DisclosureJob, JobError, type JobResult, type JobView } from './worker-protocol.js'

export interface QueryServiceOptions {
  db: Kysely<QueryServiceTables>
  dataDir: string
  /** The server's own DuckDB: it makes the projections (the only engine that holds the keys). */
  engine: DuckDBInstance
  pseudonyms: PseudonymKeys
  limits: QueryLimits
  pool: QueryPool
  /** Worker processes at most: the pool's maxRunning. */
  workers: number
  /** Workers kept started while idle (default 1). */
  warmWorkers?: number
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  /** The grants in force: projections of any other are removed. */
  liveGrants: () => Promise<string[]>
  recordUse: (datasetId: string, kind: 'queries' | 'downloads') => Promise<void>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** This process in core's registry, written on every query it runs. */
  processId?: string
  /** Where failures of work done after an answer was sent (history, audit, usage) are told. */
  log?: Pick<Logger, 'error' | 'warn'>
  /** An answer whose client reads nothing for this long is ended (default 30 s). */
  stallMs?: number
  /** The output checks every answer over an aggregate-only view must pass. */
  outputRules: OutputRules
}

export type QueryAnswer = {
  id: string
  contentType: string
  /** Rows a file answer holds at most (JSON answers say themselves when they were cut). */
  rowLimit: number
  body: ReadableStream<Uint8Array>
}

/** Answers one person may have on their way to them at once, per replica. */
const MAX_OPEN_ANSWERS = 4

/** The grants behind some of a caller's views. */
const grantsOf = (views: readonly CallerView[]) =>
  views.flatMap((v) => (v.entitlement.grantId ? [v.entitlement.grantId] : []))

/**
 * What the OS lets a worker allocate beyond DuckDB's memory limit. DuckDB's limit counts its
 * buffers, not every allocation: a chunk of 2,048 rows of long strings or lists is made whole,
 * and copied into Node to be written out. Two gigabytes hold a thousand 1 MB rows, so that such an
 * answer meets its byte limit (and says so) rather than the process's end.
 */
const WORKER_HEADROOM_BYTES = 2e9

/**
 * The query service. A caller's SQL is judged by the gate in a worker process, then run there
 * over projection files holding only what their grants and samples show (made on first use by the
 * server), within time, memory, row and byte limits, its turn taken fairly through the pool; every
 * run is recorded in the caller's history and the audit trail, naming the datasets it read, and
 * counted towards their popularity, however it ends.
 */
export function createQueryService(options: QueryServiceOptions) {
  const { limits } = options
  // Written answers hold no slot of the pool; what a slow or stalled reader still holds is
  // bounded per person, and every answer ends with the grants it reads from.
  const answers = createOpenAnswers({
    maxPerPerson: MAX_OPEN_ANSWERS,
    stallMs: options.stallMs ?? 30_000,
  })
  const running = createRunningQueries(options.db, options.now)
  const history = createQueryHistory(options.db, options)
  const records = createQueryRecords({ ...options, history })
  const releases = createAggregateReleases(options.db)
  // This process's answer files, apart from other processes' (see sweepCopies).
  const copies = copiesDirectory(options.dataDir, options.processId)
  const projections = createProjections({
    dataDir: options.dataDir,
    engine: options.engine,
    keys: options.pseudonyms,
  })
  const workers = createQueryWorkers({
    size: options.workers,
    warm: options.warmWorkers ?? 1,
    settings: { memoryLimit: limits.memoryLimit, threads: limits.threads },
    memoryCapBytes: bytesOf(limits.memoryLimit) + WORKER_HEADROOM_BYTES,
    fileCapBytes: limits.maxStreamBytes,
    log: options.log,
  })

  // Work left to do once an answer is on its way (history, usage, audit) must never take the
  // process down: a failure there (the database away, say) is logged, and the answer stands.
  const inBackground = (work: Promise<unknown>, what: string) =>
    void work.catch((error: unknown) => options.log?.error({ err: error }, `${what} failed`))

  /** The gate's verdict in the worker, then the projections of the views it reads. */
  async function prepare(run: Run, lease: WorkerLease): Promise<JobView[]> {
    const verdict = await lease.check(
      run.sql,
      run.views.map((v) => v.name),
    )
    if (!verdict.ok) throw new QueryRefusedError(verdict.message, verdict.position)
    const used = run.views.filter((v) => verdict.views.includes(v.name))
    return Promise.all(
      used.map(async (view) => ({
        name: view.name,
        file: await projections.file(view, view.entitlement.files[0]?.version ?? 0),
        ...(view.entitlement.scope === 'aggregates'
          ? {
              aggregate: true,
              identifiers: view.entitlement.schema
                .filter((c) => c.personalData === 'direct-identifier')
                .map((c) => c.name),
              columns: view.columns.map((c) => ({ name: c.name, type: c.type })),
            }
          : {}),
      })),
    )
  }

  /** A JSON answer: written whole by the worker (within its byte limit), then streamed. */
  async function answerJson(
    run: Run,
    lease: WorkerLease,
    views: JobView[],
    disclosure: DisclosureJob | undefined,
  ) {
    await mkdir(copies, { recursive: true, mode: 0o700 })
    const directory = await mkdtemp(join(copies, 'json-'))
    const job = lease.run({
      sql: run.sql,
      views,
      format: 'json',
      answerPath: join(directory, 'answer'),
      timeoutMs: limits.timeoutMs,
      maxRows: limits.maxRows,
      maxJsonBytes: limits.maxJsonBytes,
      ...(disclosure ? { disclosure } : {}),
    })
    running.track(run.id, run.user.id, () => job.stop())
    let result: JobResult
    try {
      result = await job.result
    } catch (error) {
      await rm(directory, { recursive: true, force: true })
      throw error
    } finally {
      running.untrack(run.id, run.user.id)
    }
    return { result, directory }
  }

  /**
   * The output checks of a run over an aggregate-only view (with what this person was given
   * from it before), or undefined when it reads none.
   */
  async function disclosureOf(run: Run, views: JobView[], format: QueryFormat) {
    const aggregate = run.views.find(
      (v) => v.entitlement.scope === 'aggregates' && views.some((j) => j.name === v.name),
    )
    if (!aggregate) return undefined
    if (format !== 'json')
      throw new QueryRefusedError(
        `'${aggregate.name}' is for aggregates only: ask for JSON (its answers are checked cell by cell before they leave)`,
      )
    const dataset = aggregate.entitlement.dataset.id
    const earlier = await releases.earlier(run.user.id, dataset)
    return {
      dataset,
      seq: earlier.seq,
      job: { rules: options.outputRules, earlier: earlier.releases },
    }
  }

  /** A file answer, streamed while the worker writes it; recorded when the body ends. */
  async function answerFile(
    run: Run,
    held: { lease: WorkerLease; release: () => void; answer: OpenAnswer },
    views: JobView[],
    format: FileFormat,
  ): Promise<QueryAnswer> {
    const { lease, release, answer } = held
    const used = views.map((v) => v.name)
    const file = await streamAnswerFile(
      (answerPath) => {
        const job = lease.run({
          sql: run.sql,
          views,
          format,
          answerPath,
          timeoutMs: limits.timeoutMs,
          maxRows: limits.maxStreamRows,
          maxJsonBytes: limits.maxJsonBytes,
        })
        running.track(run.id, run.user.id, () => job.stop())
        // Written, it holds no slot: the reader's pace is the open answer's business.
        return answerWriter(job, () => {
          running.untrack(run.id, run.user.id)
          lease.release()
          release()
        })
      },
      { directory: copies, maxBytes: limits.maxStreamBytes },
    )
    // Still cancellable while the worker writes what the client is already reading.
    inBackground(
      file.done.then(async ({ rows, bytes, completed, error }) => {
        await records.run(
          run,
          completed
            ? { status: 'succeeded', rows, bytes }
            : error !== undefined
              ? { ...outcomeOf(error), rows, bytes }
              : { status: 'cancelled', error: 'The client stopped reading', rows, bytes },
          used,
        )
      }),
      'recording a query answered as a file',
    )
    return {
      id: run.id,
      contentType: FILE_FORMATS[format].media,
      rowLimit: limits.maxStreamRows,
      body: answer.body(file.body, grantsOf(run.views.filter((v) => used.includes(v.name)))),
    }
  }

  return {
    /** The caller's views with their columns (and which are masked), for the editor. */
    async views(user: User, ability: AppAbility) {
      return viewsOf(await options.entitlements(user, ability, options.now())).map((v) => ({
        name: v.name,
        dataset: v.entitlement.dataset,
        scope: v.entitlement.scope,
        basis: v.entitlement.basis,
        version: v.entitlement.files[0]?.version ?? null,
        expiresAt: v.entitlement.expiresAt ?? null,
        rowFilter: v.entitlement.rowFilter,
        columns: v.columns,
      }))
    },

    /**
     * Runs one query for the caller. A JSON answer is written whole by the worker, then streamed
     * (up to its row and byte limits), its pool slot free once written; a file answer (CSV, NDJSON,
     * Arrow, Parquet) streams while the worker writes it, holding its slot until the body is read
     * or the client goes away. Every run is recorded, refusals included.
     */
    async run(
      user: User,
      ability: AppAbility,
      request: { sql: string; format: QueryFormat; id?: string },
      requestId?: string,
    ): Promise<QueryAnswer> {
      const views = viewsOf(await options.entitlements(user, ability, options.now()))
      const run: Run = {
        id: request.id ?? `q_${randomUUID()}`,
        user,
        sql: request.sql,
        format: request.format,
        views,
        requestId,
      }
      // On record from the start: a query refused for want of a slot is in the history too.
      await history.start(run.id, user, request)
      let release = () => {}
      let lease: WorkerLease | undefined
      let answer: OpenAnswer | undefined
      let used: string[] = []
      try {
        answer = answers.reserve(user.id)
        release = await options.pool.acquire(user.id)
        lease = await workers.lease()
        const jobViews = await prepare(run, lease)
        used = jobViews.map((v) => v.name)
        const disclosure = await disclosureOf(run, jobViews, request.format)
        if (request.format === 'json') {
          const { result, directory } = await answerJson(run, lease, jobViews, disclosure?.job)
          lease.release()
          // The slot is free while the run is recorded and read: the work is done.
          release()
          // Kept before the answer leaves, so that the next answer is compared with it.
          if (disclosure && result.release)
            await releases
              .record(
                result.release,
                {
                  queryId: run.id,
                  granteeId: user.id,
                  datasetId: disclosure.dataset,
                  seq: disclosure.seq,
                },
                options.now(),
              )
              .catch(async (error: unknown) => {
                await rm(directory, { recursive: true, force: true })
                throw error
              })
          await records.run(
            run,
            { status: 'succeeded', rows: result.rows, bytes: result.bytes },
            used,
          )
          return {
            id: run.id,
            contentType: 'application/json; charset=utf-8',
            rowLimit: limits.maxRows,
            body: answer.body(
              jsonAnswerBody(
                join(directory, 'answer'),
                directory,
                { id: run.id, columns: result.columns },
                { rowCount: result.rows, truncated: result.truncated, views: used },
              ),
              grantsOf(views.filter((v) => used.includes(v.name))),
            ),
          }
        }
        return await answerFile(run, { lease, release, answer }, jobViews, request.format)
      } catch (error) {
        lease?.release()
        release()
        answer?.release()
        const failure = error instanceof JobError ? errorOfFailure(error.failure) : error
        await records
          .run(run, outcomeOf(failure), used)
          .catch((e: unknown) => options.log?.error({ err: e }, 'recording a failed query failed'))
        throw failure
      }
    },

    /**
     * One version of a dataset as a file: the full data (Official (Open), or under a grant, with
     * its columns, masking and row filter) or the de-identified sample, read from its projection.
     * Holds a pool slot until the body is read; audited and counted as a download when it ends.
     */
    async extract(
      user: User,
      ability: AppAbility,
      request: ExtractRequest,
      requestId?: string,
    ): Promise<Extract> {
      const entitlements = await options.entitlements(user, ability, options.now())
      const answer = answers.reserve(user.id)
      const extract = await openExtract(entitlements, request, {
        acquire: () => options.pool.acquire(user.id),
        projections,
        workers,
        copies,
        limits,
        recordEnd: (end) =>
          inBackground(records.download(user, request, end, requestId), 'recording a download'),
      }).catch((error: unknown) => {
        answer.release()
        throw error
      })
      return { ...extract, body: answer.body(extract.body, extract.grantIds) }
    },

    /** Stops one of the caller's running queries; false when there is none by that id. */
    cancel(user: User, id: string): Promise<boolean> {
      return running.cancel(user.id, id)
    },

    history: (user: User, limit?: number) => history.list(user, limit),

    /** Marks the queries left running by processes that died as failed, saying so; how many. */
    async failInterrupted(processIds: readonly string[]): Promise<number> {
      if (processIds.length === 0) return 0
      await freeSlotsOf(options.db, processIds)
      return history.failInterrupted(processIds)
    },

    /** Removes answer files that processes no longer on record left on this machine. */
    sweepOrphanedFiles: (knownProcessIds: readonly string[]) =>
      sweepCopies(options.dataDir, knownProcessIds),

    /**
     * Ends the answers still on their way from grants that have ended, and removes those grants'
     * projections; answers how many folders and files it removed.
     */
    async sweepProjections() {
      const live = await options.liveGrants()
      answers.endForEndedGrants(live)
      return projections.sweep(live)
    },

    /** Starts the warm workers in the background, so that the first queries need not wait. */
    warm: () => workers.warm(),

    /** The worker processes' state, for health and tests. */
    workers: () => ({ ...workers.stats(), pids: workers.pids() }),

    /** Stops the worker processes (a query still running ends as cancelled). */
    close: () => workers.close(),
  }
}

export type QueryService = ReturnType<typeof createQueryService>
