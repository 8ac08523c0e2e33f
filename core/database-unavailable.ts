import { UnavailableError } from './errors.js'

/** Seconds a client is told to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5

// SQLSTATE classes and codes that mean "the server is not there right now", not "your statement
// is wrong": connection exceptions (08…), and a server shutting down, crashed or starting (57P0x).
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|57P0[1-4])$/
// What Node and node-postgres say when there is no connection at all.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
])
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  // "Client has encountered a connection error and is not queryable", "Client was closed …"
  /not queryable/,
]

/**
 * True when an error says the metadata database cannot be reached (stopped, restarting, network
 * gone), as opposed to a statement it refused. Looks through `cause` chains and aggregates.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => isDatabaseUnavailable(e, depth + 1))
  )
    return true
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_CODES.has(code)))
    return true
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return true
  return isDatabaseUnavailable(error.cause, depth + 1)
}

/** The 503 a caller gets while the database is away: what happened and when to try again. */
export function databaseUnavailable(cause: unknown): UnavailableError {
  return new UnavailableError(
    `The metadata database cannot be reached at the moment (it may be restarting). Try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
    { cause, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  )
}
