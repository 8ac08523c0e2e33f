import { randomUUID } from 'node:crypto'
import type { Logger } from '../core/index.js'
import type { User } from '../identity/index.js'
import type { AggregateReleases } from './aggregate-releases.js'
import type { QueryFormat } from './answer-formats.js'
import type { CallerView } from './caller-views.js'
import { errorOfFailure } from './errors.js'
import { disclosureOf, jobViewsOf } from './job-inputs.js'
import type { OpenAnswer, OpenAnswers } from './open-answers.js'
import type { OutputRules } from './output-checks.js'
import type { Projections } from './projections.js'
import type { QueryAnswer, WriteAnswer } from './query-answers.js'
import type { QueryHistory } from './query-history.js'
import { acquireQueryLease, type QueryLease } from './query-lease.js'
import type { QueryPool } from './query-pool.js'
import { outcomeOf, type QueryRecords, type Run } from './query-records.js'
import type { QueryWorkers } from './query-workers.js'
import type { RunningQueries } from './running-queries.js'
import { JobError } from './worker-protocol.js'

/** What running a query takes. */
export interface QueryRunDeps {
  history: Pick<QueryHistory, 'start'>
  answers: Pick<OpenAnswers, 'reserve'>
  pool: Pick<QueryPool, 'acquire'>
  workers: Pick<QueryWorkers, 'lease'>
  running: Pick<RunningQueries, 'track' | 'untrack'>
  projections: Pick<Projections, 'file'>
  releases: Pick<AggregateReleases, 'earlier'>
  outputRules: OutputRules
  /** How each format is answered. */
  answerIn: Record<QueryFormat, WriteAnswer>
  records: Pick<QueryRecords, 'run'>
  log?: Pick<Logger, 'error'>
}

/** What a caller asks: the SQL, the answer's format, and their own id for the run, if any. */
export interface QueryRequest {
  sql: string
  format: QueryFormat
  id?: string
}

/**
 * One query, from its history row on: one of the person's open answers reserved, a lease taken
 * (the pool's slot, a worker, its tracking), the gate's verdict and the projections of the views
 * it reads, their output checks, then the answer in its format. A failure anywhere gives back
 * what was taken (the lease, then the open answer), is recorded with the views read so far, and
 * is thrown as the caller's error.
 */
export async function runQuery(
  query: { user: User; request: QueryRequest; views: CallerView[]; requestId?: string },
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
    const views = await jobViewsOf(run, lease, deps.projections)
    used = views.map((v) => v.name)
    const disclosure = await disclosureOf(run, views, run.format, deps)
    return await deps.answerIn[run.format]({ run, lease, answer, views, disclosure })
  } catch (error) {
    lease?.release()
    answer?.release()
    const failure = error instanceof JobError ? errorOfFailure(error.failure) : error
    await deps.records
      .run(run, outcomeOf(failure), used)
      .catch((e: unknown) => deps.log?.error({ err: e }, 'recording a failed query failed'))
    throw failure
  }
}
