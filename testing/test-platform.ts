import { afterAll, beforeAll } from 'vitest'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from './test-runtime.js'

/** The app a test drives in process, every answer checked against the OpenAPI document. */
export type TestApp = ReturnType<typeof createTestApp>

/** Request headers of a signed-in fixture user (session cookie and CSRF token). */
export type UserHeaders = Record<string, string>

/** The body of an API answer, as tests read it. */
export interface Answer<T> {
  ok: boolean
  data: T
  error: { code: string; message: string }
}

/** What `useTestPlatform` holds for a test file: filled before its first test runs. */
export interface TestPlatform<User extends string> {
  runtime: TestRuntime
  app: TestApp
  /** Headers of each user named in `signIn`, signed in once for the file. */
  as: Record<User, UserHeaders>
  /**
   * Calls the API as one of the signed-in users, `body` sent as JSON; the status and the
   * parsed answer.
   * @example const { status, body } = await platform.call('GET', '/api/notifications', 'officer.moh')
   */
  call<T>(
    method: string,
    path: string,
    who: User,
    body?: unknown,
  ): Promise<{ status: number; body: Answer<T> }>
}

/**
 * Opens a test runtime for the file (or describe block) it is called in, signs in the named
 * fixture users, and disposes of it all after the last test: the setup most API tests share.
 * Read its fields inside tests or hooks, not at collection time (they are set in `beforeAll`).
 * @example const platform = useTestPlatform({ signIn: ['officer.moe', 'steward.dos'] })
 */
export function useTestPlatform<User extends string = never>(
  options: Parameters<typeof openTestRuntime>[0] & { signIn?: readonly User[] },
): TestPlatform<User> {
  const platform = {
    as: {},
    async call(method, path, who, body) {
      const res = await platform.app.request(path, {
        method,
        headers: {
          ...platform.as[who],
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: await res.json() }
    },
  } as TestPlatform<User>
  const { signIn = [], ...runtimeOptions } = options
  beforeAll(async () => {
    platform.runtime = await openTestRuntime(runtimeOptions)
    platform.app = createTestApp(platform.runtime)
    for (const user of signIn) platform.as[user] = await signInAs(platform.app, user)
  })
  afterAll(async () => {
    await platform.runtime?.dispose()
  })
  return platform
}
