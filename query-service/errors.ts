import { AppError } from '../core/index.js'

/** SQL the sandbox will not run; the message says why, and where when DuckDB knows. */
export class QueryRefusedError extends AppError {
  readonly position: number | undefined
  constructor(message: string, position?: number) {
    super('query_refused', message)
    this.position = position
  }
}

/** A query stopped by one of its limits; the message names the limit and its value. */
export class QueryLimitError extends AppError {
  readonly limit: 'time' | 'memory' | 'rows'
  constructor(limit: 'time' | 'memory' | 'rows', message: string) {
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
