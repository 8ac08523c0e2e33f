import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ZodError } from 'zod'
import { AppError, type ErrorBody, type ErrorCode, type Logger } from '../core/index.js'
import type { AppEnv } from './app-env.js'

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
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
export function errorResponse(rootLog: Logger) {
  return function handleError(error: Error, c: Context<AppEnv>) {
    const log = c.get('log') ?? rootLog
    const { status, code, message } = describe(error, c.get('requestId'))
    if (status >= 500) log.error({ err: error, status }, 'request failed')
    else log.info({ status, code, message }, 'request refused')
    return c.json(errorBody(code, message), status)
  }
}

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
    return { status, code: error.code, message }
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
