import type { AuditLog } from '../audit/index.js'
import { AppError } from '../core/index.js'
import type { User } from '../identity/index.js'
import type { QueryFormat } from './answer-formats.js'
import type { CallerView } from './caller-views.js'
import { QueryCancelledError } from './errors.js'
import type { ExtractEnd, ExtractRequest } from './extract.js'
import type { QueryHistory, RunOutcome } from './query-history.js'

/** The run of one query: who, what, and how its ending is recorded (exactly once). */
export interface Run {
  id: string
  user: User
  sql: string
  format: QueryFormat
  views: CallerView[]
  requestId: string | undefined
}

/**
 * What is kept of every query and download, however it ends: the caller's history, the audit
 * trail (naming the datasets read) and the datasets' popularity.
 */
export function createQueryRecords(deps: {
  history: QueryHistory
  recordUse: (datasetId: string, kind: 'queries' | 'downloads') => Promise<void>
  recordGrantUse?: (grantId: string, kind: 'queries' | 'downloads', at: Date) => Promise<void>
  audit: Pick<AuditLog, 'append'>
  now: () => Date
}) {
  return {
    /**
     * History and audit of one finished run; usage counted for each dataset it read. They are
     * written at once, not one after another: none waits for the others.
     */
    async run(run: Run, outcome: RunOutcome, used: readonly string[]) {
      const datasets = [
        ...new Set(
          run.views.filter((v) => used.includes(v.name)).map((v) => v.entitlement.dataset.id),
        ),
      ]
      // Each grant read from counts the query towards its usage, as its stewards see it.
      const grants =
        outcome.status === 'succeeded'
          ? new Set(
              run.views.flatMap((v) =>
                used.includes(v.name) && v.entitlement.basis === 'grant' && v.entitlement.grantId
                  ? [v.entitlement.grantId]
                  : [],
              ),
            )
          : new Set<string>()
      await Promise.all([
        deps.history.finish(run.id, run.user, outcome, used),
        ...(outcome.status === 'succeeded'
          ? datasets.map((dataset) => deps.recordUse(dataset, 'queries'))
          : []),
        ...[...grants].map((grant) => deps.recordGrantUse?.(grant, 'queries', deps.now())),
        deps.audit.append(
          {
            actor: { id: run.user.id, name: run.user.username },
            action: 'query.run',
            outcome: outcome.status === 'succeeded' ? 'succeeded' : 'failed',
            subject: { type: 'Query', id: run.id },
            details: {
              format: run.format,
              views: used,
              datasets,
              rows: outcome.rows ?? 0,
              bytes: outcome.bytes ?? 0,
              ...(outcome.error && { error: outcome.auditedError ?? outcome.error }),
            },
            ...(run.requestId && { requestId: run.requestId }),
          },
          deps.now(),
        ),
      ])
    },

    /** The audit entry of one download as it ended; a whole one counts towards popularity. */
    async download(user: User, request: ExtractRequest, end: ExtractEnd, requestId?: string) {
      if (end.completed) {
        await deps.recordUse(end.dataset.id, 'downloads')
        if (end.basis === 'grant' && end.grantId)
          await deps.recordGrantUse?.(end.grantId, 'downloads', deps.now())
      }
      await deps.audit.append(
        {
          actor: { id: user.id, name: user.username },
          action: 'dataset.download',
          outcome: end.completed ? 'succeeded' : 'failed',
          subject: { type: 'Dataset', id: end.dataset.id },
          details: {
            version: request.version,
            scope: request.scope,
            basis: end.basis,
            format: request.format,
            rows: end.rows,
            bytes: end.bytes,
            ...(!end.completed && { error: end.error ?? 'The download stopped before the end' }),
          },
          ...(requestId && { requestId }),
        },
        deps.now(),
      )
    },
  }
}

/** How a run that threw ended, for its history and (with DuckDB's words left out) its audit entry. */
export function outcomeOf(error: unknown): RunOutcome {
  const message = error instanceof Error ? error.message : String(error)
  return {
    status: error instanceof QueryCancelledError ? 'cancelled' : 'failed',
    error: message,
    // DuckDB's own messages (a bad cast, error()) can quote the caller's data, which auditors may
    // not hold: the trail keeps their kind; ours (refusals, limits, busy) are kept whole.
    ...(!(error instanceof AppError) || error.callerOnly
      ? {
          auditedError: `${/^[A-Za-z ]+ Error/.exec(message)?.[0] ?? 'Query error'} (its words are in the caller's query history)`,
        }
      : {}),
  }
}

export type QueryRecords = ReturnType<typeof createQueryRecords>
