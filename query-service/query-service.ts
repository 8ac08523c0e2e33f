import type { Kysely } from 'kysely'
import type { AuditLog } from '../audit/index.js'
import { bytesOf, type DuckDBInstance, type Logger } from '../core/index.js'
import type { AppAbility, User } from '../identity/index.js'
import type { PseudonymKeys } from '../keys/index.js'
import { createAggregateReleases } from './aggregate-releases.js'
import { copiesDirectory, sweepCopies } from './answer-file.js'
import { describeView, viewsOf } from './caller-views.js'
import { type Extract, type ExtractRequest, openExtract } from './extract.js'
import { createGateVerdicts } from './gate-verdicts.js'
import type { QueryServiceTables } from './migrations.js'
import { createOpenAnswers } from './open-answers.js'
import {
  createOpenDataDownloads,
  type OpenDataCaller,
  type OpenDataRequest,
} from './open-data-extract.js'
import type { OutputRules } from './output-checks.js'
import { freeSlotsOf } from './person-slots.js'
import { createProjections } from './projections.js'
import { createQueryAnswers, type QueryAnswer } from './query-answers.js'
import { createQueryHistory, type HistoryKind } from './query-history.js'
import type { QueryLimits } from './query-limits.js'
import type { QueryPool } from './query-pool.js'
import { createQueryRecords } from './query-records.js'
import { type QueryRequest, type QueryRunDeps, runQuery } from './query-run.js'
import { createQueryWorkers } from './query-workers.js'
import type { ReadEntitlements } from './read-entitlements.js'
import { createRunningQueries } from './running-queries.js'
import { createSampleFiles } from './sample-files.js'
import { createSamplePreviews } from './sample-previews.js'
import type { EndedGrant } from './unknown-view-words.js'

export type { QueryAnswer }

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
  entitlements: ReadEntitlements
  /**
   * Grants the caller may read that were revoked or have expired (theirs among them), to say
   * why a view of theirs is gone; without it a refusal names no ended grant.
   */
  endedGrants?: (ability: AppAbility, now: Date) => Promise<EndedGrant[]>
  /** The grants in force: projections of any other are removed. */
  liveGrants: () => Promise<string[]>
  recordUse: (datasetId: string, kind: 'queries' | 'downloads') => Promise<void>
  /** Counts a use of a grant by its grantee (access's grant usage); none counted when absent. */
  recordGrantUse?: (grantId: string, kind: 'queries' | 'downloads', at: Date) => Promise<void>
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

/** Answers one person may have on their way to them at once, per replica. */
const MAX_OPEN_ANSWERS = 4

/**
 * Callers' sandboxes each worker keeps for their next JSON query (~3 MB each): a query that finds
 * one skips making and locking a DuckDB instance, several times the work of a small query.
 */
const KEPT_SANDBOXES = 64

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
    settings: {
      memoryLimit: limits.memoryLimit,
      threads: limits.threads,
      keptSandboxes: KEPT_SANDBOXES,
    },
    memoryCapBytes: bytesOf(limits.memoryLimit) + WORKER_HEADROOM_BYTES,
    fileCapBytes: limits.maxStreamBytes,
    log: options.log,
  })
  // Samples converted once and kept, so that downloading one takes no worker nor pool slot.
  const samples = createSampleFiles({ copies, workers, limits })

  // Work left to do once an answer is on its way (history, usage, audit) must never take the
  // process down: a failure there (the database away, say) is logged, and the answer stands.
  const inBackground = (work: Promise<unknown>, what: string) =>
    void work.catch((error: unknown) => options.log?.error({ err: error }, `${what} failed`))

  const lifecycle: QueryRunDeps = {
    history,
    answers,
    pool: options.pool,
    workers,
    running,
    projections,
    verdicts: createGateVerdicts(),
    releases,
    outputRules: options.outputRules,
    answerIn: createQueryAnswers({
      limits,
      copies,
      records,
      releases,
      now: options.now,
      inBackground,
    }),
    records,
    log: options.log,
  }

  // Official (Open) data for anyone: one person's share of the pool for all of it.
  const openData = createOpenDataDownloads({
    entitlements: options.entitlements,
    answers,
    acquire: (holder) => options.pool.acquire(holder),
    extracts: { projections, workers, samples, copies, limits },
    audit: options.audit,
    recordUse: options.recordUse,
    inBackground,
    now: options.now,
  })

  return {
    /** The first rows of each sample, read from the file kept beside it: no query runs. */
    samplePreviews: createSamplePreviews(options),

    /** The caller's views with their columns (and which are masked), for the editor. */
    async views(user: User, ability: AppAbility) {
      return viewsOf(await options.entitlements(user, ability, options.now())).map(describeView)
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
      request: QueryRequest,
      requestId?: string,
    ): Promise<QueryAnswer> {
      const now = options.now()
      const views = viewsOf(await options.entitlements(user, ability, now))
      const endedGrants = options.endedGrants
      return runQuery(
        {
          user,
          request,
          views,
          requestId,
          ...(endedGrants ? { endedGrants: () => endedGrants(ability, now) } : {}),
        },
        lifecycle,
      )
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
      const entitlements = await options.entitlements(user, ability, options.now(), {
        dataset: request.dataset,
      })
      const answer = answers.reserve(user.id)
      const extract = await openExtract(entitlements, request, {
        acquire: () => options.pool.acquire(user.id),
        projections,
        workers,
        samples,
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

    /**
     * A published version of an Official (Open) dataset for anyone, without a sign-in: all such
     * downloads share one person's part of the pool, audited with the client's address.
     */
    openData: (request: OpenDataRequest, caller: OpenDataCaller) =>
      openData.extract(request, caller),

    /** Stops one of the caller's running queries; false when there is none by that id. */
    cancel(user: User, id: string): Promise<boolean> {
      return running.cancel(user.id, id)
    },

    /** The caller's own latest queries: those they wrote, or the previews they were shown. */
    history: (user: User, kind?: HistoryKind, limit?: number) => history.list(user, kind, limit),

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
