import { randomUUID } from 'node:crypto'
import type { DuckDBType } from '@duckdb/node-api'
import type { Kysely } from 'kysely'
import type { Entitlement } from '../catalog/index.js'
import {
  type AppAbility,
  type AuditLog,
  type Logger,
  NotFoundError,
  type User,
} from '../core/index.js'
import { ARROW_MEDIA_TYPE, arrowStream } from './arrow-ipc.js'
import { COPY_FORMATS, copiesDirectory, copyFile, sweepCopies } from './copy-file.js'
import { QueryCancelledError } from './errors.js'
import { type Extract, type ExtractFormat, openExtract } from './extract.js'
import type { QueryServiceTables } from './migrations.js'
import { observeStream } from './observed-stream.js'
import { freeSlotsOf } from './person-slots.js'
import type { QueryPool } from './query-pool.js'
import { copyQuery, type QueryResult, runQuery, streamChunks } from './run-query.js'
import { createRunningQueries } from './running-queries.js'
import { openSandbox, type SandboxLimits, type SandboxView, viewsOf } from './sandbox.js'

export const QUERY_FORMATS = ['json', 'csv', 'ndjson', 'arrow', 'parquet'] as const
export type QueryFormat = (typeof QUERY_FORMATS)[number]

export interface QueryServiceOptions {
  db: Kysely<QueryServiceTables>
  dataDir: string
  /** Keys the masking of direct identifiers; never shown to anyone. */
  maskKey: string
  limits: SandboxLimits & { maxStreamRows: number }
  pool: QueryPool
  entitlements: (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>
  recordUse: (datasetId: string, kind: 'queries' | 'downloads') => Promise<void>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
  /** This process in core's registry, written on every query it runs. */
  processId?: string
  /** Where failures of work done after an answer was sent (history, audit, usage) are told. */
  log?: Pick<Logger, 'error'>
}

export type QueryAnswer =
  | { id: string; kind: 'json'; result: QueryResult }
  | {
      id: string
      kind: 'stream'
      contentType: string
      rowLimit: number
      body: ReadableStream<Uint8Array>
    }

export interface HistoryEntry {
  id: string
  sql: string
  format: string
  views: string[]
  status: 'running' | 'succeeded' | 'failed' | 'cancelled'
  error: string | undefined
  rows: number | undefined
  bytes: number | undefined
  startedAt: Date
  finishedAt: Date | undefined
}

/**
 * The query service: a caller's views, their SQL run in a sandbox of their own, each run queued
 * through the pool, recorded in their history, audited, and counted towards the popularity of
 * the datasets it read.
 */
export function createQueryService(options: QueryServiceOptions) {
  const running = createRunningQueries(options.db, options.now)

  /** The run's history row, as running; `finish` records how it ended. */
  // Work left to do once an answer is on its way (history, usage, audit) must never take the
  // process down: a failure there (the database away, say) is logged, and the answer stands.
  const inBackground = (work: Promise<unknown>, what: string) =>
    void work.catch((error: unknown) => options.log?.error({ err: error }, `${what} failed`))
  // This process's answer files, apart from other processes' (see sweepCopies).
  const copies = copiesDirectory(options.dataDir, options.processId)
  const startHistory = (id: string, user: User, request: { sql: string; format: string }) =>
    options.db
      .insertInto('query_history')
      .values({
        id,
        user_id: user.id,
        sql: request.sql,
        format: request.format,
        views: '[]',
        status: 'running',
        started_at: options.now(),
        process_id: options.processId ?? null,
        cancel_requested_at: null,
      })
      .execute()

  const viewsFor = async (user: User, ability: AppAbility) =>
    viewsOf(await options.entitlements(user, ability, options.now()))

  /** History and audit of one finished run; usage counted for each dataset read. */
  async function finish(
    id: string,
    user: User,
    views: SandboxView[],
    used: string[],
    outcome: { status: HistoryEntry['status']; error?: string; rows?: number; bytes?: number },
    requestId: string | undefined,
    format: string,
  ) {
    const now = options.now()
    await options.db
      .updateTable('query_history')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        rows: outcome.rows ?? null,
        bytes: outcome.bytes ?? null,
        finished_at: now,
        views: JSON.stringify(used),
      })
      .where('id', '=', id)
      .execute()
    const datasets = [
      ...new Set(views.filter((v) => used.includes(v.name)).map((v) => v.entitlement.dataset.id)),
    ]
    if (outcome.status === 'succeeded')
      for (const dataset of datasets) await options.recordUse(dataset, 'queries')
    await options.audit.append(
      {
        actor: { id: user.id, name: user.username },
        action: 'query.run',
        outcome: outcome.status === 'succeeded' ? 'succeeded' : 'failed',
        subject: { type: 'Query', id },
        details: {
          format,
          views: used,
          datasets,
          rows: outcome.rows ?? 0,
          bytes: outcome.bytes ?? 0,
          ...(outcome.error && { error: outcome.error }),
        },
        ...(requestId && { requestId }),
      },
      now,
    )
  }

  /** A query answered as a file DuckDB writes (Parquet, CSV, NDJSON), streamed, then deleted. */
  async function runCopy(
    user: User,
    ability: AppAbility,
    request: { sql: string; format: 'parquet' | 'csv' | 'ndjson' },
    id: string,
    release: () => void,
    requestId: string | undefined,
  ): Promise<QueryAnswer> {
    const abort = new AbortController()
    let views: SandboxView[] = []
    let used: string[] = []
    let recorded = false
    try {
      const entitlements = await options.entitlements(user, ability, options.now())
      views = viewsOf(entitlements)
      await startHistory(id, user, request)
      recorded = true
      running.track(id, user.id, () => abort.abort())
      const copyFormat = request.format === 'ndjson' ? 'json' : request.format
      const file = await copyFile(
        (writablePath) =>
          openSandbox(entitlements, {
            dataDir: options.dataDir,
            maskKey: options.maskKey,
            limits: options.limits,
            writablePath,
          }),
        async (sandbox, path, stopped) => {
          const copied = await copyQuery(
            sandbox,
            request.sql,
            path,
            copyFormat,
            options.limits,
            options.limits.maxStreamRows,
            AbortSignal.any([abort.signal, stopped]),
          )
          used = copied.views
          return copied.rows
        },
        { directory: copies },
      )
      // Still cancellable while DuckDB writes what the client is already reading.
      inBackground(
        file.done.then(async ({ rows, bytes, completed, error }) => {
          running.untrack(id)
          // The slots are free while the run is recorded.
          release()
          await finish(
            id,
            user,
            views,
            used,
            completed
              ? { status: 'succeeded', rows, bytes }
              : error !== undefined
                ? { ...failure(error), rows, bytes }
                : { status: 'cancelled', error: 'The client stopped reading', rows, bytes },
            requestId,
            request.format,
          )
        }),
        'recording a query answered as a file',
      )
      return {
        id,
        kind: 'stream',
        contentType: COPY_FORMATS[copyFormat].media,
        rowLimit: options.limits.maxStreamRows,
        body: file.body,
      }
    } catch (error) {
      running.untrack(id)
      try {
        if (recorded) await finish(id, user, views, used, failure(error), requestId, request.format)
      } finally {
        release()
      }
      throw error
    }
  }

  return {
    /** The caller's views with their columns (and which are masked), for the editor. */
    async views(user: User, ability: AppAbility) {
      return (await viewsFor(user, ability)).map((v) => ({
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
     * Runs one query for the caller. JSON answers are complete (up to the row limit); Arrow
     * streams as DuckDB produces chunks; Parquet, CSV and NDJSON are written by DuckDB's own COPY
     * and streamed from a private temporary file. The pool slot is held until the body is read
     * or the client goes away.
     */
    async run(
      user: User,
      ability: AppAbility,
      request: { sql: string; format: QueryFormat; id?: string },
      requestId?: string,
    ): Promise<QueryAnswer> {
      const id = request.id ?? `q_${randomUUID()}`
      const release = await options.pool.acquire(user.id)
      if (request.format === 'parquet' || request.format === 'csv' || request.format === 'ndjson')
        return runCopy(
          user,
          ability,
          { ...request, format: request.format },
          id,
          release,
          requestId,
        )
      let sandbox: Awaited<ReturnType<typeof openSandbox>> | undefined
      const abort = new AbortController()
      try {
        const entitlements = await options.entitlements(user, ability, options.now())
        sandbox = await openSandbox(entitlements, {
          dataDir: options.dataDir,
          maskKey: options.maskKey,
          limits: options.limits,
        })
        await startHistory(id, user, request)
        running.track(id, user.id, () => abort.abort())
      } catch (error) {
        sandbox?.close()
        release()
        throw error
      }
      const box = sandbox
      const views = box.views
      const done = () => {
        running.untrack(id)
        box.close()
        release()
      }
      if (request.format === 'json') {
        let result: QueryResult
        try {
          result = await runQuery(box, request.sql, options.limits, abort.signal)
        } catch (error) {
          done()
          // The query's own error is the answer; failing to record it must not replace it.
          await finish(id, user, views, [], failure(error), requestId, request.format).catch(
            (e: unknown) => options.log?.error({ err: e }, 'recording a failed query failed'),
          )
          throw error
        }
        // The slots are free while the run is recorded: nobody waits on history and audit.
        done()
        await finish(
          id,
          user,
          views,
          result.views,
          {
            status: 'succeeded',
            rows: result.rowCount,
            bytes: JSON.stringify(result.rows).length,
          },
          requestId,
          request.format,
        )
        return { id, kind: 'json', result }
      }
      const report = async (
        outcome: { status: HistoryEntry['status']; error?: string; rows?: number; bytes?: number },
        used: string[],
      ) => {
        // The slots are free while the run is recorded.
        done()
        await finish(id, user, views, used, outcome, requestId, request.format)
      }
      if (request.format === 'arrow') {
        let used: string[] = []
        let names: string[] = []
        let types: DuckDBType[] = []
        let rows = 0
        const maxRows = options.limits.maxStreamRows
        async function* capped() {
          const chunks = streamChunks(
            box,
            request.sql,
            options.limits,
            (info) => {
              used = info.views
              names = info.columns.map((c) => c.name)
              types = info.types
            },
            abort.signal,
          )
          for await (const chunk of chunks) {
            const room = maxRows - rows
            if (chunk.rowCount > room) chunk.rowCount = room
            rows += chunk.rowCount
            if (chunk.rowCount > 0) yield chunk
            if (rows >= maxRows) break
          }
        }
        return {
          id,
          kind: 'stream',
          contentType: ARROW_MEDIA_TYPE,
          rowLimit: maxRows,
          body: observeStream(
            arrowStream(capped(), () => ({ names, types })),
            ({ completed, bytes, error }) =>
              inBackground(
                report(
                  completed
                    ? { status: 'succeeded', rows, bytes }
                    : { ...(error ? failure(error) : { status: 'cancelled' }), rows, bytes },
                  used,
                ),
                'recording an Arrow answer',
              ),
          ),
        }
      }
      throw new Error(`No query format ${request.format}`)
    },

    /**
     * One version of a dataset as a file: the full data (Official (Open), or under a grant, with
     * its columns, masking and row filter) or the de-identified sample. Holds a pool slot until
     * the body is read; audited and counted as a download when it ends.
     */
    async extract(
      user: User,
      ability: AppAbility,
      request: {
        dataset: string
        version: number
        scope: 'full' | 'sample'
        format: ExtractFormat
      },
      requestId?: string,
    ): Promise<Extract> {
      const entitlements = await options.entitlements(user, ability, options.now())
      const entitlement = entitlements.find(
        (e) =>
          (e.dataset.slug === request.dataset || e.dataset.id === request.dataset) &&
          e.scope === request.scope,
      )
      if (!entitlement)
        throw new NotFoundError(
          request.scope === 'full'
            ? `No full extract of '${request.dataset}' for you: Official (Open) data and granted requests only (POST /api/requests asks for access)`
            : `No sample of '${request.dataset}' for you`,
        )
      const release = await options.pool.acquire(user.id)
      let extract: Extract
      try {
        extract = await openExtract(entitlement, request.version, request.format, {
          ...options,
          copies,
        })
      } catch (error) {
        release()
        throw error
      }
      inBackground(
        extract.done.then(async ({ rows, bytes, completed }) => {
          release()
          if (completed) await options.recordUse(entitlement.dataset.id, 'downloads')
          await options.audit.append(
            {
              actor: { id: user.id, name: user.username },
              action: 'dataset.download',
              outcome: completed ? 'succeeded' : 'failed',
              subject: { type: 'Dataset', id: entitlement.dataset.id },
              details: {
                version: request.version,
                scope: request.scope,
                basis: entitlement.basis,
                format: request.format,
                rows,
                bytes,
                ...(!completed && { error: 'The download stopped before the end' }),
              },
              ...(requestId && { requestId }),
            },
            options.now(),
          )
        }),
        'recording a download',
      )
      return extract
    },

    /** Stops one of the caller's running queries; false when there is none by that id. */
    cancel(user: User, id: string): Promise<boolean> {
      return running.cancel(user.id, id)
    },

    /** Marks the queries left running by processes that died as failed, saying so; how many. */
    /** Removes answer files that processes no longer on record left on this machine. */
    sweepOrphanedFiles: (knownProcessIds: readonly string[]) =>
      sweepCopies(options.dataDir, knownProcessIds),

    async failInterrupted(processIds: readonly string[]): Promise<number> {
      if (processIds.length === 0) return 0
      await freeSlotsOf(options.db, processIds)
      const failed = await options.db
        .updateTable('query_history')
        .set({
          status: 'failed',
          error: 'The server running this query stopped before it finished',
          finished_at: options.now(),
        })
        .where('status', '=', 'running')
        .where('process_id', 'in', [...processIds])
        .returning('id')
        .execute()
      return failed.length
    },

    async history(user: User, limit = 50): Promise<HistoryEntry[]> {
      const rows = await options.db
        .selectFrom('query_history')
        .selectAll()
        .where('user_id', '=', user.id)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute()
      return rows.map((r) => ({
        id: r.id,
        sql: r.sql,
        format: r.format,
        views: r.views,
        status: r.status as HistoryEntry['status'],
        error: r.error ?? undefined,
        rows: r.rows === null ? undefined : Number(r.rows),
        bytes: r.bytes === null ? undefined : Number(r.bytes),
        startedAt: r.started_at,
        finishedAt: r.finished_at ?? undefined,
      }))
    },
  }
}

export type QueryService = ReturnType<typeof createQueryService>

function failure(error: unknown): { status: HistoryEntry['status']; error: string } {
  return {
    status: error instanceof QueryCancelledError ? 'cancelled' : 'failed',
    error: error instanceof Error ? error.message : String(error),
  }
}
