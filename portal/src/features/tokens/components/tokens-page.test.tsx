import { MantineProvider } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../../../../../testing/index.js'
import { createApiClient } from '../../../lib/api-client.js'
import { ApiProvider } from '../../../lib/api-context.js'
import { formatDateTime } from '../../../lib/format.js'
import { fillIn } from '../../../portal-test-kit.js'
import type { ApiTokenInfo } from '../api/use-tokens.js'
import { TokensPage } from './tokens-page.js'

// Tokens go to the real API over fixture data: its fetch is the app's own request, signed in as
// one fixture user (a session, as tokens are managed from a browser only). Each test signs in as
// a user of its own, who has no token yet.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

const DAY_MS = 86_400_000

async function tokensOf(user: string): Promise<ApiTokenInfo[]> {
  const res = await app.request('/api/tokens', { headers: await signInAs(app, user) })
  return ((await res.json()) as { data: ApiTokenInfo[] }).data
}

/** The status the API answers a read with this token. */
async function readWith(token: string) {
  return (await app.request('/api/datasets', { headers: { authorization: `Bearer ${token}` } }))
    .status
}

async function renderAs(user: string) {
  const signedIn = await signInAs(app, user)
  const client = createApiClient('http://portal.test/', async (input, init) => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(signedIn)) headers.set(name, value)
    return app.request(String(input), { ...init, headers })
  })
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <ApiProvider client={client}>
          <TokensPage />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
  return screen.getByRole('region', { name: 'API tokens' })
}

const form = (page: HTMLElement) => within(page).getByRole('form', { name: 'New token' })

describe('the API tokens page', () => {
  it('says there is no token yet, and how to make one', async () => {
    const page = await renderAs('steward.govtech')
    expect(await within(page).findByText('No tokens yet')).toBeTruthy()
    expect(within(page).getByText('Create one above to call the API from a script.')).toBeTruthy()
    expect(within(page).queryByRole('table')).toBeNull()
    expect(within(page).queryByRole('status')).toBeNull()
  })

  it('creates a read-only token, shows its secret once to copy, and lists it', async () => {
    const user = userEvent.setup()
    const page = await renderAs('officer.moe')
    await within(page).findByText('No tokens yet')
    const fields = form(page)
    await fillIn(user, within(fields).getByLabelText('Name'), 'nightly sync')
    const days = within(fields).getByLabelText('Expires after (days)')
    await user.clear(days)
    await user.type(days, '7')
    await user.click(within(fields).getByRole('button', { name: 'Create token' }))

    const shown = await within(page).findByRole('status')
    expect(
      within(shown).getByText('Copy your new token now. It will not be shown again.'),
    ).toBeTruthy()
    const secret = within(shown).getByText(/^gdp_/).textContent ?? ''
    await user.click(within(shown).getByRole('button', { name: 'Copy' }))
    expect(await within(shown).findByRole('button', { name: 'Copied' })).toBeTruthy()
    expect(await navigator.clipboard.readText()).toBe(secret)
    // The form is ready for the next one.
    expect((within(fields).getByLabelText('Name') as HTMLInputElement).value).toBe('')

    const [token, ...others] = await tokensOf('officer.moe')
    expect(others).toEqual([])
    expect(token).toMatchObject({ name: 'nightly sync', scopes: ['read'], lastUsedAt: null })
    expect(Date.parse(token?.expiresAt ?? '') - Date.parse(token?.createdAt ?? '')).toBe(7 * DAY_MS)
    const table = await within(page).findByRole('table', { name: '1 token, newest first' })
    const row = within(table).getByRole('row', { name: /nightly sync/ })
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['read', formatDateTime(token?.expiresAt ?? ''), 'Never', 'Revoke'])
    expect(await readWith(secret)).toBe(200)

    // Opened again, the page lists the token but no longer shows its secret.
    cleanup()
    const again = await renderAs('officer.moe')
    expect(await within(again).findByRole('table', { name: '1 token, newest first' })).toBeTruthy()
    expect(within(again).queryByText(secret)).toBeNull()
    expect(within(again).queryByRole('status')).toBeNull()
  })

  it('gives the token the write scope only when asked', async () => {
    const user = userEvent.setup()
    const page = await renderAs('officer.moh')
    const fields = form(page)
    await fillIn(user, within(fields).getByLabelText('Name'), 'catalogue updates')
    await user.click(
      within(fields).getByRole('checkbox', {
        name: 'Allow changes (write scope); without it the token can only read',
      }),
    )
    await user.click(within(fields).getByRole('button', { name: 'Create token' }))
    await within(page).findByRole('status')
    expect(await tokensOf('officer.moh')).toMatchObject([
      { name: 'catalogue updates', scopes: ['read', 'write'] },
    ])
    const table = await within(page).findByRole('table', { name: '1 token, newest first' })
    const row = within(table).getByRole('row', { name: /catalogue updates/ })
    expect(within(row).getByText('read, write')).toBeTruthy()
  })

  it('revokes a token: its row says when, and the token stops working', async () => {
    const user = userEvent.setup()
    const page = await renderAs('steward.sla')
    const fields = form(page)
    for (const name of ['first script', 'second script']) {
      await user.type(within(fields).getByLabelText('Name'), name)
      await user.click(within(fields).getByRole('button', { name: 'Create token' }))
      await within(page).findByText(new RegExp(`^${name}$`))
    }
    const secret = within(within(page).getByRole('status')).getByText(/^gdp_/).textContent ?? ''
    const table = within(page).getByRole('table', { name: '2 tokens, newest first' })

    await user.click(within(table).getByRole('button', { name: 'Revoke second script' }))
    const row = within(table).getByRole('row', { name: /second script/ })
    const when = (await within(row).findByText(/^Revoked /)).textContent
    const revoked = (await tokensOf('steward.sla')).find((t) => t.name === 'second script')
    expect(when).toBe(`Revoked ${formatDateTime(revoked?.revokedAt ?? '')}`)
    expect(within(row).queryByRole('button')).toBeNull()
    expect(await readWith(secret)).toBe(401)
    // The other token stays, and can still be revoked.
    const other = within(table).getByRole('row', { name: /first script/ })
    expect(within(other).getByRole('button', { name: 'Revoke first script' })).toBeTruthy()
  })

  it("shows the server's refusal and creates nothing", async () => {
    const user = userEvent.setup()
    const page = await renderAs('leader.mddi')
    await within(page).findByText('No tokens yet')
    const fields = form(page)
    // Only spaces: the browser takes it as filled in; the API finds no name in it.
    await user.type(within(fields).getByLabelText('Name'), '   ')
    await user.click(within(fields).getByRole('button', { name: 'Create token' }))
    const alert = await within(fields).findByRole('alert')
    expect(within(alert).getByText('The token was not created')).toBeTruthy()
    expect(within(alert).getByText(/give the token a name/)).toBeTruthy()
    expect(within(page).queryByRole('status')).toBeNull()
    expect(await tokensOf('leader.mddi')).toEqual([])
  })
})
