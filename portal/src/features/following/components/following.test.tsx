import { MantineProvider } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { MemoryRouter } from 'react-router'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { signInAs, useTestPlatform } from '../../../../../testing/index.js'
import { createApiClient } from '../../../lib/api-client.js'
import { ApiProvider } from '../../../lib/api-context.js'
import { fillIn } from '../../../portal-test-kit.js'
import { DeprecateDataset } from './deprecate-dataset.js'
import { FollowButton } from './follow-button.js'
import { FollowedDatasets } from './followed-datasets.js'

// biome-ignore lint/correctness/useHookAtTopLevel: a Vitest setup (beforeAll/afterAll), not a React hook
const platform = useTestPlatform({ backend: 'pglite' })
const jar = new Map<string, string>()

/** The browser's fetch: the server app's own request, with a cookie jar. */
async function browserFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers)
  if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
  const res = await platform.app.request(String(input), { ...init, headers })
  for (const cookie of res.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';')
    const [name = '', ...value] = pair.split('=')
    jar.set(name, value.join('='))
  }
  return res
}

/** Renders parts of the following feature as the portal would, signed in as `who`. */
async function renderAs(who: string, ui: ReactNode) {
  jar.clear()
  const headers = await signInAs({ request: browserFetch }, who)
  const client = createApiClient('http://portal.test/', async (input, init) =>
    browserFetch(input, {
      ...init,
      headers: { ...headers, ...Object.fromEntries(new Headers(init?.headers)) },
    }),
  )
  render(
    <MantineProvider>
      <QueryClientProvider
        client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      >
        <ApiProvider client={client}>
          <MemoryRouter>{ui}</MemoryRouter>
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
}

beforeAll(() => platform.runtime.lineage.emitter.flush())
afterEach(cleanup)

describe('following datasets', () => {
  it('follows with a pressed toggle, lists what one follows, and unfollows from the list', async () => {
    const user = userEvent.setup()
    await renderAs(
      'officer.moe',
      <>
        <FollowButton slug="person-address-pa" />
        <FollowedDatasets />
      </>,
    )
    expect(await screen.findByRole('heading', { name: 'You follow no dataset yet' })).toBeTruthy()
    const toggle = await screen.findByRole('button', { name: 'Follow' })
    await waitFor(() => expect(toggle.hasAttribute('disabled')).toBe(false))
    expect(toggle.getAttribute('aria-pressed')).toBe('false')
    await user.click(toggle)
    const pressed = await screen.findByRole('button', { name: 'Following' })
    expect(pressed.getAttribute('aria-pressed')).toBe('true')
    expect(await screen.findByText(/^You follow this dataset\. New versions/)).toBeTruthy()

    const list = await screen.findByRole('region', { name: 'Datasets you follow' })
    const item = await within(list).findByRole('listitem')
    const title = within(item).getAllByRole('link')[0] as HTMLElement
    expect(title.getAttribute('href')).toBe('/datasets/person-address-pa')
    expect(item.textContent).toMatch(/Version 1/)
    expect(
      within(item)
        .getByRole('link', { name: /^New version of / })
        .getAttribute('href'),
    ).toBe('/datasets/person-address-pa/history')
    await user.click(within(item).getByRole('button', { name: `Unfollow ${title.textContent}` }))
    expect(await screen.findByRole('heading', { name: 'You follow no dataset yet' })).toBeTruthy()
    expect(
      (await screen.findByRole('button', { name: 'Follow' })).getAttribute('aria-pressed'),
    ).toBe('false')
  })

  it('lets a steward of the owning agency deprecate a dataset; others see no form', async () => {
    const user = userEvent.setup()
    const dataset = {
      slug: 'person-address-pa',
      title: 'Persons by address',
      agency: 'DOS',
      deprecation: null,
    }
    await renderAs('officer.moe', <DeprecateDataset dataset={dataset} />)
    await new Promise((done) => setTimeout(done, 200))
    expect(screen.queryByRole('form', { name: 'Mark deprecated' })).toBeNull()
    cleanup()

    await renderAs('steward.dos', <DeprecateDataset dataset={dataset} />)
    const form = await screen.findByRole('form', { name: 'Mark deprecated' })
    await fillIn(
      user,
      within(form).getByLabelText(/Why it is deprecated/),
      'Replaced by a newer register',
    )
    await user.click(within(form).getByRole('button', { name: 'Mark deprecated' }))
    expect(await screen.findByText('Saved: the dataset is deprecated.')).toBeTruthy()
    expect(screen.getByText('Replaced by a newer register', { selector: 'p' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Withdraw deprecation' }))
    expect(await screen.findByText('The deprecation is withdrawn.')).toBeTruthy()
  })
})
