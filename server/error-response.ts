import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import {
  AppError,
  databaseUnavailable,
  type ErrorBody,
  type ErrorCode,
  isDatabaseUnavailable,
  type Logger,
} from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  // A query the sandbox will not run (not a single SELECT over the caller's views).
  query_refused: 400,
  // A query that ran into a limit: time, memory or rows; the message names it.
  limit_exceeded: 422,
  rate_limited: 429,
  // A body over the API's limit, refused before it is read whole.
  too_large: 413,
  unavailable: 503,
  invalid_config: 500,
  internal: 500,
}

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
}

/** The canonical error body. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { ok: false, error: { code, message } }
}

/**
 * The one place errors become HTTP answers (STYLE.md §4): domain errors by their code, zod
 * errors as 400 naming each bad field, anything unexpected as a 500 whose details stay in the log.
 */
export function errorResponse(rootLog: Logger, options: { onRefused?: RefusalListener } = {}) {
  return async function handleError(error: Error, c: Context<RouteEnv>) {
    const log = c.get('log') ?? rootLog
    const { status, code, message, retryAfterSeconds } = describe(
      isDatabaseUnavailable(error) && !(error instanceof AppError)
        ? databaseUnavailable(error)
        : error,
      c.get('requestId'),
    )
    if (code === 'unavailable')
      log.warn({ status, message, cause: errorText(error) }, 'request deferred')
    else if (status >= 500) log.error({ err: error, status }, 'request failed')
    else
      log.info(
        {
          status,
          code,
          message:
            error instanceof AppError && error.callerOnly ? '(for the caller only)' : message,
        },
        'request refused',
      )
    if ((status === 401 || status === 403) && options.onRefused) {
      // A refused request is evidence for auditors; failing to record it must not hide the answer.
      await options
        .onRefused(c, status, message)
        .catch((e: unknown) => log.error({ err: e }, 'audit of a refusal failed'))
    }
    const headers: Record<string, string> =
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }
    return c.json(errorBody(code, message), status, headers)
  }
}

/** Called for every 401 and 403 answer, e.g. to append it to the audit log. */
export type RefusalListener = (
  c: Context<RouteEnv>,
  status: 401 | 403,
  message: string,
) => Promise<void>

function describe(error: Error, requestId: string | undefined) {
  if (error instanceof ZodError) {
    const message = error.issues
      .map((issue) =>
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      )
      .join('; ')
    return { status: 400 as const, code: 'invalid_input' as const, message }
  }
  if (error instanceof AppError) {
    const status = STATUS[error.code]
    const message =
      status >= 500 && error.code !== 'unavailable' ? internalMessage(requestId) : error.message
    return { status, code: error.code, message, retryAfterSeconds: error.retryAfterSeconds }
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode
    return {
      status,
      code: CODE_OF_STATUS[status] ?? 'internal',
      message: error.message || `HTTP ${status}`,
    }
  }
  return { status: 500 as const, code: 'internal' as const, message: internalMessage(requestId) }
}

function internalMessage(requestId: string | undefined) {
  return `Internal server error; quote request id ${requestId ?? 'unknown'} when reporting it`
}

/** One line for the log: a deferred request needs the reason, not a stack. */
function errorText(error: Error): string {
  const cause = error.cause instanceof Error ? error.cause : error
  const code = (cause as { code?: unknown }).code
  return typeof code === 'string' ? `${cause.message} (${code})` : cause.message
}
