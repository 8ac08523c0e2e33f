import { hc } from 'hono/client'
import type { AppType } from '../../../server/index.js'

/** The typed HTTP client of the server's API. */
export type ApiClient = ReturnType<typeof hc<AppType>>

/** An API answer that was not `ok`, with the server's code and message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

/**
 * Whether a failed query is worth trying again: twice at most, and never an answer the server
 * meant (a 4xx such as 403 or 404 says the same the next time; only 5xx and lost connections may
 * pass).
 */
export function worthRetrying(failures: number, error: Error): boolean {
  return failures < 2 && !(error instanceof ApiError && error.status < 500)
}

/**
 * Creates the client. Tests pass the server app's own `request` as `fetch`, so the portal is
 * exercised against the real routes.
 */
export function createApiClient(baseUrl = '/', fetchImpl?: typeof fetch): ApiClient {
  return hc<AppType>(baseUrl, {
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    // The session's CSRF token rides on every request; the server checks it on changes.
    headers: (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {}),
  })
}

let csrfToken: string | undefined

/** Remembers the session's CSRF token (from sign-in or GET /api/auth/me). */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? undefined
}

/** Unwraps `{ ok: true, data }`, or throws the server's error as an {@link ApiError}. */
export async function unwrap<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as
    | { ok: true; data: T }
    | { ok: false; error: { code: string; message: string } }
    | undefined
  if (body?.ok) return body.data
  throw new ApiError(
    response.status,
    body?.error.code ?? 'internal',
    body?.error.message ?? `The server answered ${response.status}`,
  )
}
