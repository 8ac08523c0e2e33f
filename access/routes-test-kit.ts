import type { TestPlatform } from '../testing/index.js'

/** The body of an API answer, as the access tests read it. */
export interface Answer<T> {
  ok: boolean
  data: T
  error: { code: string; message: string }
}

/**
 * A caller of the platform's API as one of its signed-in users: sends `body` as JSON, and
 * returns the status with the parsed answer.
 * @example const call = callerOf(platform); await call('GET', '/api/notifications', 'officer.moh')
 */
export function callerOf<User extends string>(platform: TestPlatform<User>) {
  return async <T>(method: string, path: string, who: User, body?: unknown) => {
    const res = await platform.app.request(path, {
      method,
      headers: {
        ...platform.as[who],
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Answer<T> }
  }
}
