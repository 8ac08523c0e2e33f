import { afterAll, beforeAll } from 'vitest'
import { type TestRuntime, useTestPlatform } from '../testing/index.js'
import { type RunningServer, serveApp } from './serve-app.js'

export const MB = 1_000_000

/** A client of a served app, through fetch: what a client on the network sees. */
export interface HttpClient {
  request(path: string, init?: RequestInit): Promise<Response>
}

/** What `useServedPlatform` holds for a test file: filled before its first test runs. */
export interface ServedPlatform {
  runtime: TestRuntime
  server: RunningServer
  http: HttpClient
}

/**
 * Opens a small test runtime for the file it is called in and serves it on a free port, as
 * `npm start` would, for the bounded-input tests that need real HTTP. The sign-in limit is raised
 * out of the way: it has tests of its own (sign-in-rate-bounds.test.ts), on their own addresses
 * and minutes.
 */
export function useServedPlatform(): ServedPlatform {
  const platform = useTestPlatform({
    backend: 'pglite',
    scale: 0.05,
    env: { SIGN_IN_ATTEMPTS_PER_MINUTE: '1000' },
  })
  const served = {} as ServedPlatform
  beforeAll(async () => {
    served.runtime = platform.runtime
    served.server = await serveApp(platform.runtime, 0)
    served.http = { request: (path, init) => fetch(`${served.server.url}${path}`, init) }
  })
  // Registered after the platform's: closed before its runtime is disposed of.
  afterAll(async () => {
    await served.server?.close()
  })
  return served
}
