import type { Kysely } from 'kysely'
import { ConflictError } from '../core/index.js'
import type { User } from '../identity/index.js'
import type { QueryServiceTables } from './migrations.js'

/**
 * Why a query ran: written in the workbench, a dataset page's preview of a sample (which the
 * person did not write), or any other client of the API.
 */
export const QUERY_PURPOSES = ['workbench', 'preview', 'api'] as const
export type QueryPurpose = (typeof QUERY_PURPOSES)[number]

/** Which of a person's queries a history lists: those they wrote, or the previews apart. */
export type HistoryKind = 'queries' | 'previews'

export interface HistoryEntry {
  id: string
  sql: string
  format: string
  purpose: QueryPurpose
  views: string[]
  status: 'running' | 'succeeded' | 'failed' | 'cancelled'
  /** Why it failed or was cancelled; null otherwise. */
  error: string | null
  /** Rows and bytes sent; null while it runs or when it ended before sending any. */
  rows: number | null
  bytes: number | null
  startedAt: Date
  /** null while it runs. */
  finishedAt: Date | null
}

/** How a run ended, as its history row and audit entry keep it. */
export interface RunOutcome {
  status: Exclude<HistoryEntry['status'], 'running'>
  /** Why it failed, for the caller's own history (DuckDB's words may quote their data). */
  error?: string
  /** Why it failed, for the audit trail, which people without the caller's access read. */
  auditedError?: string
  rows?: number
  bytes?: number
}

/** Every query a person ran, from the moment it starts: what, over which views, how it ended. */
export function createQueryHistory(
  db: Kysely<QueryServiceTables>,
  options: { now: () => Date; processId?: string },
) {
  return {
    /** The run's row, as running; an id the person has used already is a conflict. */
    async start(
      id: string,
      user: User,
      request: { sql: string; format: string; purpose?: QueryPurpose },
    ) {
      try {
        await db
          .insertInto('query_history')
          .values({
            id,
            user_id: user.id,
            sql: request.sql,
            format: request.format,
            purpose: request.purpose ?? 'api',
            views: '[]',
            status: 'running',
            started_at: options.now(),
            process_id: options.processId ?? null,
            cancel_requested_at: null,
          })
          .execute()
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw new ConflictError(
            `id: you have used the query id '${id}' already; choose a new one (or leave it out)`,
          )
        throw error
      }
    },

    async finish(id: string, user: User, outcome: RunOutcome, views: readonly string[]) {
      await db
        .updateTable('query_history')
        .set({
          status: outcome.status,
          error: outcome.error ?? null,
          rows: outcome.rows ?? null,
          bytes: outcome.bytes ?? null,
          finished_at: options.now(),
          views: JSON.stringify(views),
        })
        .where('user_id', '=', user.id)
        .where('id', '=', id)
        .execute()
    },

    /** The person's own latest queries, newest first: those they wrote, or their previews. */
    async list(user: User, kind: HistoryKind = 'queries', limit = 50): Promise<HistoryEntry[]> {
      const rows = await db
        .selectFrom('query_history')
        .selectAll()
        .where('user_id', '=', user.id)
        .where('purpose', kind === 'previews' ? '=' : '<>', 'preview')
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute()
      return rows.map((r) => ({
        id: r.id,
        sql: r.sql,
        format: r.format,
        purpose: purposeOf(r.purpose),
        views: r.views,
        status: r.status as HistoryEntry['status'],
        error: r.error,
        rows: r.rows === null ? null : Number(r.rows),
        bytes: r.bytes === null ? null : Number(r.bytes),
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      }))
    },

    /** Marks the runs left running by processes that died as failed, saying so; how many. */
    async failInterrupted(processIds: readonly string[]): Promise<number> {
      if (processIds.length === 0) return 0
      const failed = await db
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
  }
}

const purposeOf = (text: string): QueryPurpose =>
  (QUERY_PURPOSES as readonly string[]).includes(text) ? (text as QueryPurpose) : 'api'

export type QueryHistory = ReturnType<typeof createQueryHistory>
