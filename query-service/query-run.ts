import { randomUUID } from 'node:crypto'
import type { Logger } from '../core/index.js'
import type { User } from '../identity/index.js'
import type { AggregateReleases } from './aggregate-releases.js'
import type { QueryFormat } from './answer-formats.js'
import type { CallerView } from './caller-views.js'
import { inPersonsWords } from './engine-words.js'
import { errorOfFailure, QueryRefusedError } from './errors.js'
import type { GateVerdicts } from './gate-verdicts.js'
import { disclosureOf, jobViewsOf, sandboxOf } from './job-inputs.js'
import type { OpenAnswer, OpenAnswers } from './open-answers.js'
import type { OutputRules } from './output-checks.js'
import type { Projections } from './projections.js'
import type { QueryAnswer, WriteAnswer } from './query-answers.js'
import type { QueryHistory, QueryPurpose } from './query-history.js'
import { acquireQueryLease, type QueryLease } from './query-lease.js'
import type { QueryPool } from './query-pool.js'
import { outcomeOf, type QueryRecords, type Run } from './query-records.js'
import type { QueryWorkers } from './query-workers.js'
import type { RunningQueries } from './running-queries.js'
import { type EndedGrant, unknownViewWords } from './unknown-view-words.js'
import { JobError } from './worker-protocol.js'

/** What running a query takes. */
export interface QueryRunDeps {
  history: Pick<QueryHistory, 'start'>
  answers: Pick<OpenAnswers, 'reserve'>
  pool: Pick<QueryPool, 'acquire'>
  workers: Pick<QueryWorkers, 'lease'>
  running: Pick<RunningQueries, 'track' | 'untrack'>
  projections: Pick<Projections, 'file' | 'pathOf'>
  verdicts: Pick<GateVerdicts, 'judge'>
  releases: Pick<AggregateReleases, 'earlier'>
  outputRules: OutputRules
  /** How each format is answered. */
  answerIn: Record<QueryFormat, WriteAnswer>
  records: Pick<QueryRecords, 'run'>
  log?: Pick<Logger, 'error'>
}

/** What a caller asks: the SQL, the answer's format, their own id for the run, and why. */
export interface QueryRequest {
  sql: string
  format: QueryFormat
  id?: string
  purpose?: QueryPurpose
}

/**
 * One query, from its history row on: one of the person's open answers reserved, a lease taken
 * (the pool's slot, a worker, its tracking), the gate's verdict and the projections of the views
 * it reads, their output checks, then the answer in its format. A failure anywhere gives back
 * what was taken (the lease, then the open answer), is recorded with the views read so far, and
 * is thrown as the caller's error, in words about their access.
 */
export async function runQuery(
  query: {
    user: User
    request: QueryRequest
    views: CallerView[]
    requestId?: string
    /** The caller's grants that have ended: asked for only to say why a name is not a view. */
    endedGrants?: () => Promise<EndedGrant[]>
  },
  deps: QueryRunDeps,
): Promise<QueryAnswer> {
  const { user, request } = query
  const run: Run = {
    id: request.id ?? `q_${randomUUID()}`,
    user,
    sql: request.sql,
    format: request.format,
    views: query.views,
    requestId: query.requestId,
  }
  // On record from the start: a query refused for want of a slot is in the history too.
  await deps.history.start(run.id, user, request)
  let lease: QueryLease | undefined
  let answer: OpenAnswer | undefined
  let used: string[] = []
  try {
    answer = deps.answers.reserve(run.user.id)
    lease = await acquireQueryLease({ id: run.id, userId: run.user.id }, deps)
    const views = await jobViewsOf(run, lease, deps)
    used = views.map((v) => v.name)
    const disclosure = await disclosureOf(run, views, run.format, deps)
    // A JSON answer outside the output checks may reuse the caller's sandbox, and leave it.
    const sandbox =
      run.format === 'json' && !disclosure ? sandboxOf(run, deps.projections) : undefined
    return await deps.answerIn[run.format]({ run, lease, answer, views, disclosure, sandbox })
  } catch (error) {
    lease?.release()
    answer?.release()
    const failure = await callersError(error, query, used)
    await deps.records
      .run(run, outcomeOf(failure), used)
      .catch((e: unknown) => deps.log?.error({ err: e }, 'recording a failed query failed'))
    throw failure
  }
}

/**
 * The error the caller is told: a job's failure as their error, DuckDB's words said about their
 * access (a column their grant leaves out, the nearest of their columns), and a name that is
 * none of their views said about what they hold of it (its sample, a grant that ended).
 */
async function callersError(
  error: unknown,
  query: { user: User; views: CallerView[]; endedGrants?: () => Promise<EndedGrant[]> },
  used: readonly string[],
): Promise<unknown> {
  if (error instanceof JobError)
    return errorOfFailure(
      inPersonsWords(
        error.failure,
        query.views.filter((v) => used.includes(v.name)),
      ),
    )
  if (!(error instanceof QueryRefusedError) || error.unknownView === undefined) return error
  // Without the ended grants (the database away, say), the gate's own words still stand.
  const ended = (await query.endedGrants?.().catch(() => undefined)) ?? []
  const words = unknownViewWords(
    error.unknownView,
    query.views,
    ended.filter((g) => g.grantee.id === query.user.id),
  )
  return words === undefined ? error : new QueryRefusedError(words, error.position)
}
