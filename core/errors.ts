/** Machine-readable error codes; only `server/error-response.ts` turns them into HTTP statuses. */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_config'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'internal'

/** The one error body every API failure answers with. */
export interface ErrorBody {
  ok: false
  error: { code: ErrorCode; message: string }
}

export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

export class InvalidInputError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super('invalid_input', message, options)
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message)
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message)
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message)
  }
}

/** A dependency (database, storage) cannot be reached; callers may retry later. */
export class UnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions) {
    super('unavailable', message, options)
  }
}

/** The environment does not describe a runnable configuration; the message names every problem. */
export class ConfigError extends AppError {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super('invalid_config', `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.problems = problems
  }
}
