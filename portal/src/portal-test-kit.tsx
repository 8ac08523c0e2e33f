import { cleanup, render } from '@testing-library/react'
import type { UserEvent } from '@testing-library/user-event'
import { createMemoryRouter, type DataRouter, type RouteObject } from 'react-router'
import { afterEach, beforeAll, beforeEach } from 'vitest'
import { signInAs, type TestApp, type TestRuntime, useTestPlatform } from '../../testing/index.js'
import { App } from './app/app.js'
import { routes } from './app/routes.js'
import { createApiClient } from './lib/api-client.js'

/** The whole portal of a test file, over the real server app and fixture data. */
export interface PortalUnderTest {
  /** The server app the portal talks to, for arranging data and checking what the API says. */
  readonly app: TestApp
  /** The platform behind the app, for arranging what only the platform does (a pipeline run). */
  readonly runtime: TestRuntime
  /** Renders the portal at `path`, with the router it navigates, to read where it went. */
  renderAt(path: string): DataRouter
  /** Forgets the browser's cookies: the next page is a visitor's, not signed in. */
  clearCookies(): void
}

/**
 * Opens a runtime for the test file and renders the portal against it: its fetch is the app's own
 * request, with a cookie jar standing in for the browser's. Each test starts in a browser signed
 * in as `signedInAs` (a test that needs a visitor or another person clears the cookies first).
 * Call it at the top of a test file.
 * @example const portal = openPortal({ signedInAs: 'officer.moh' })
 */
export function openPortal(options: {
  signedInAs: string
  env?: Record<string, string>
}): PortalUnderTest {
  // biome-ignore lint/correctness/useHookAtTopLevel: a Vitest setup (beforeAll/afterAll), not a React hook
  const platform = useTestPlatform({ backend: 'pglite', env: options.env })
  const jar = new Map<string, string>()

  async function browserFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const headers = new Headers(init?.headers)
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
    const res = await platform.app.request(String(input), { ...init, headers })
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const [name = '', ...value] = pair.split('=')
      if (/Max-Age=0/.test(cookie)) jar.delete(name)
      else jar.set(name, value.join('='))
    }
    return res
  }

  // Lineage of the fixture load is sent before the first page asks where job runs were sent.
  beforeAll(() => platform.runtime.lineage.emitter.flush())
  // Pages load when first opened: imported here, within the hooks' time, so that a file's first
  // test does not wait out its first find on the import (tens of seconds on a busy machine).
  beforeAll(() => importPages(routes))
  beforeEach(async () => {
    jar.clear()
    await signInAs({ request: browserFetch }, options.signedInAs)
  })
  afterEach(cleanup)

  return {
    get app() {
      return platform.app
    },
    get runtime() {
      return platform.runtime
    },
    renderAt(path) {
      const router = createMemoryRouter(routes, { initialEntries: [path] })
      render(<App client={createApiClient('http://portal.test/', browserFetch)} router={router} />)
      return router
    },
    clearCookies: () => jar.clear(),
  }
}

/**
 * Puts text in a field as a person pasting it would: one input event, where typing makes one a
 * keystroke, each rendering the form again (the most CPU a portal test spent). For fields whose
 * keystrokes are not what a test is about; a search that suggests as one types is typed.
 */
export async function fillIn(user: UserEvent, field: HTMLElement, text: string): Promise<void> {
  await user.click(field)
  await user.paste(text)
}

/** Imports every page of the routes (a route's `lazy`), as a first visit to each would. */
async function importPages(of: readonly RouteObject[]): Promise<void> {
  await Promise.all(
    of.map(async (route) => {
      if (typeof route.lazy === 'function') await route.lazy()
      await importPages(route.children ?? [])
    }),
  )
}
