import { AppError, InvalidInputError } from '../core/index.js'
import type { JobFailure } from './worker-protocol.js'

/** SQL the sandbox will not run; the message says why, and where when DuckDB knows. */
export class QueryRefusedError extends AppError {
  readonly position: number | undefined
  /** The name it read as a table that is none of the caller's views (lower-case), if that is why. */
  readonly unknownView: string | undefined
  constructor(message: string, position?: number, unknownView?: string) {
    super('query_refused', message)
    this.position = position
    this.unknownView = unknownView
  }
}

/** A query stopped by one of its limits; the message names the limit and its value. */
export class QueryLimitError extends AppError {
  readonly limit: NonNullable<JobFailure['limit']>
  constructor(limit: NonNullable<JobFailure['limit']>, message: string) {
    super('limit_exceeded', message)
    this.limit = limit
  }
}

/** The query was cancelled by the person who ran it. */
export class QueryCancelledError extends AppError {
  constructor() {
    super('conflict', 'The query was cancelled')
  }
}

/** The error a caller gets for a job that ended without an answer. */
export function errorOfFailure(failure: JobFailure): Error {
  switch (failure.kind) {
    case 'refused':
      return new QueryRefusedError(failure.message, failure.position)
    case 'invalid':
      // DuckDB's own words (a bad cast, error()) may quote the caller's data: never logged.
      return new InvalidInputError(failure.message, { callerOnly: true })
    case 'limit':
      return new QueryLimitError(failure.limit ?? 'memory', failure.message)
    case 'cancelled':
      return new QueryCancelledError()
    default:
      // DuckDB failed in a way we did not foresee: a 500 for the caller, the words in history.
      return new Error(failure.message)
  }
}
