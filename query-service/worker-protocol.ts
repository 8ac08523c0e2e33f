import type { QueryFormat } from './answer-formats.js'
import type { OutputRules } from './output-checks.js'
import type { LiteralFilter } from './sql-literal-filters.js'

/**
 * The messages between the server and a query worker process (over Node's IPC channel). The
 * worker is told only what one job needs: the caller's SQL, the projection files behind the views
 * it may read, where to write the answer and its limits. It never sees a key, a raw version file,
 * a database URL or another caller's views.
 */

/** What every job of a worker may use; fixed when the worker starts. */
export interface WorkerSettings {
  /** DuckDB's memory limit, e.g. '512MB' (the OS caps the whole process above it). */
  memoryLimit: string
  threads: number
  /** Callers' sandboxes a worker keeps between their jobs at most (0: none; each holds ~3 MB). */
  keptSandboxes?: number
  /** Resident bytes past which a worker closes kept sandboxes, oldest first, after a job. */
  keptSandboxBytes?: number
}

/** One view of the sandbox: its name and the projection file it reads. */
export interface JobView {
  name: string
  file: string
  /** An aggregate-only view: read only through output-checked aggregate answers. */
  aggregate?: boolean
  /** Of an aggregate-only view: the dataset's identifiers it leaves out. */
  identifiers?: string[]
  /** Of an aggregate-only view: its columns and their types (the table request is checked on them). */
  columns?: { name: string; type: string }[]
}

/** An aggregate answer as released: how to find the people of each of its cells again. */
export interface Release {
  /** SQL of the cell key (a JSON list of the grouping values) and of the WHERE clause. */
  cell: string
  where: string | undefined
  /** The grouping expressions, to name cells. */
  groups: string[]
  /** The keys of the cells released. */
  cells: string[]
}

/** The output checks of a job over aggregate-only views, and what this person was given before. */
export interface DisclosureJob {
  rules: OutputRules
  /** Earlier releases to the same person from the same dataset, newest first. */
  earlier: (Release & { query: string })[]
}

/**
 * The sandbox a JSON job over a caller's own views may run in, and keep for their next: it may
 * read the files of every view of theirs (never an aggregate-only one), and is found again only
 * by the same caller with the same views over the same files, so a changed entitlement (a grant
 * ended, a new version) makes a new one.
 */
export interface SandboxSpec {
  /** Whose it is: the caller's id, opaque to the worker. */
  caller: string
  /** Every view of the caller's, each over the file it reads; the job's views are among them. */
  views: JobView[]
}

export interface WorkerJob {
  sql: string
  /** The views the job reads: a one-off sandbox holds only these (and reads only their files). */
  views: JobView[]
  format: QueryFormat
  /**
   * The answer's file, in a directory private to this job (the only place it may write). A JSON
   * answer's directory does not exist yet: the worker makes it when the answer is too large to
   * send back inline, and fails if it exists.
   */
  answerPath: string
  timeoutMs: number
  /** Rows the answer holds at most: a JSON answer says it was cut, a file answer just stops. */
  maxRows: number
  /** Bytes a JSON answer may hold; past it the job fails (file answers are capped by the OS). */
  maxJsonBytes: number
  /** Present when the job reads aggregate-only views: its answer must pass output checks. */
  disclosure?: DisclosureJob
  /** Present when the job may run in (and leave) a sandbox kept for its caller. */
  sandbox?: SandboxSpec
}

export type ToWorker =
  | { type: 'check'; sql: string; views: string[] }
  | { type: 'run'; job: WorkerJob }
  /** Interrupt the running job: the caller cancelled or went away. */
  | { type: 'stop' }

/** How a job failed, as the server will tell the caller. */
export interface JobFailure {
  kind: 'refused' | 'invalid' | 'limit' | 'cancelled' | 'failed'
  limit?: 'time' | 'memory' | 'rows' | 'bytes'
  message: string
  /** Where in the SQL, when known (0-based). */
  position?: number
}

export interface JobResult {
  columns: { name: string; type: string }[]
  rows: number
  /** Bytes of the answer file. */
  bytes: number
  /** A JSON answer cut at maxRows. */
  truncated: boolean
  /** The caller's views the statement read, as the gate found them. */
  views: string[]
  /** What an aggregate answer released, to be kept for the differencing check. */
  release?: Release
  /** The statement's literal filters (`col = 'x'`, `col IN (…)`), to compare with row filters. */
  filters?: LiteralFilter[]
  /**
   * A small JSON answer's rows (a JSON array), sent back with the result instead of written to
   * the answer's file, which then does not exist.
   */
  inline?: string
  /** It ran in a sandbox kept from an earlier job of the same caller over the same files. */
  reused?: true
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'checked'; ok: true; views: string[] }
  | { type: 'checked'; ok: false; message: string; position?: number; unknownView?: string }
  | { type: 'done'; result: JobResult; rssBytes: number }
  | { type: 'failed'; failure: JobFailure; rssBytes: number }

/** A job that ended short of an answer, with what the caller will be told. */
export class JobError extends Error {
  readonly failure: JobFailure
  constructor(failure: JobFailure) {
    super(failure.message)
    this.failure = failure
  }
}

/** The failure of a job stopped at its time limit. */
export const timeLimitFailure = (timeoutMs: number): JobFailure => ({
  kind: 'limit',
  limit: 'time',
  message: `The query ran past the time limit of ${timeoutMs / 1000} s and was stopped: narrow it (filter, aggregate, LIMIT) and try again`,
})

/**
 * A memory failure of a JSON answer, saying also the byte limit it would have met: a JSON answer
 * of large rows can run out of memory (DuckDB makes rows 2,048 at a time) before its bytes are
 * counted, and the way out is the same.
 */
export function withJsonLimitNote(failure: JobFailure, job: WorkerJob): JobFailure {
  if (job.format !== 'json' || failure.limit !== 'memory') return failure
  return {
    ...failure,
    message: `${failure.message} (a JSON answer may hold at most ${megabytes(job.maxJsonBytes)} anyway: ask for CSV, Parquet or Arrow for more)`,
  }
}

/**
 * A job's failure as the caller is told it: a worker killed at its deadline says the time limit,
 * and a JSON answer out of memory names the byte limit too.
 */
export function explainFailure(failure: JobFailure, job: WorkerJob): JobFailure {
  if (failure.kind === 'limit' && failure.limit === 'time' && !failure.message)
    return timeLimitFailure(job.timeoutMs)
  return withJsonLimitNote(failure, job)
}

/** Bytes as a person reads them. */
export const megabytes = (bytes: number) => `${Number((bytes / 1e6).toFixed(1))} MB`

/** The longest message a failure carries: an error is not a channel for data past the limits. */
export const MAX_FAILURE_MESSAGE = 1_000

/** A message cut to MAX_FAILURE_MESSAGE characters, saying so. */
export function boundedMessage(message: string): string {
  return message.length <= MAX_FAILURE_MESSAGE
    ? message
    : `${message.slice(0, MAX_FAILURE_MESSAGE)}… (${message.length - MAX_FAILURE_MESSAGE} more characters cut)`
}
