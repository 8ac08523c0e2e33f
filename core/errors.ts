/** Machine-readable error codes; only `server/error-response.ts` turns them into HTTP statuses. */
export type ErrorCode =
  | 'invalid_input'
  | 'invalid_config'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'query_refused'
  | 'limit_exceeded'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable'
  | 'internal'

/** The one error body every API failure answers with. */
export interface ErrorBody {
  ok: false
  error: { code: ErrorCode; message: string }
}

/** The base of every domain error: a machine-readable code and a message for people. */
export class AppError extends Error {
  readonly code: ErrorCode
  /** When a retry may succeed, if known: sent as Retry-After. */
  readonly retryAfterSeconds: number | undefined
  /** Its message may quote data only the caller may see: it is answered, never logged. */
  readonly callerOnly: boolean
  constructor(
    code: ErrorCode,
    message: string,
    options?: ErrorOptions & { retryAfterSeconds?: number; callerOnly?: boolean },
  ) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.retryAfterSeconds = options?.retryAfterSeconds
    this.callerOnly = options?.callerOnly ?? false
  }
}

/** The caller sent something malformed; the message says what to fix. */
export class InvalidInputError extends AppError {
  constructor(message: string, options?: ErrorOptions & { callerOnly?: boolean }) {
    super('invalid_input', message, options)
  }
}

/** The caller may not do this. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message)
  }
}

/** The base of every `*NotFoundError`. */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message)
  }
}

/** The request clashes with the current state (a duplicate, an illegal transition). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message)
  }
}

/** A dependency (database, storage) cannot be reached; callers may retry later. */
export class UnavailableError extends AppError {
  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super('unavailable', message, options)
  }
}

/** The caller sent more than their share in a short time; the message says when to come back. */
export class RateLimitedError extends AppError {
  declare readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super('rate_limited', message, { retryAfterSeconds })
  }
}

/** The request is larger than the server reads; the message says the limit and what to send. */
export class TooLargeError extends AppError {
  constructor(message: string) {
    super('too_large', message)
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
