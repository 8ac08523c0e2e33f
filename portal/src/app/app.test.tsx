import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createMemoryRouter } from 'react-router'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, openTestRuntime, type TestRuntime } from '../../../server/index.js'
import { createApiClient } from '../lib/api-client.js'
import { App } from './app.js'
import { routes } from './routes.js'

// The portal talks to the real server app over fixture data: its fetch is the app's own request.
let runtime: TestRuntime
let client: ReturnType<typeof createApiClient>

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  const app = createApp({
    log: runtime.log,
    catalog: runtime.catalog,
    pingDatabase: async () => undefined,
    portalDir: runtime.portalDir,
  })
  client = createApiClient('http://portal.test/', async (input, init) =>
    app.request(input as string, init),
  )
})
afterAll(() => runtime.dispose())

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  render(<App client={client} router={router} />)
  return router
}

describe('the portal', () => {
  it('lists the published datasets and opens one', async () => {
    const user = userEvent.setup()
    const router = renderAt('/')
    expect(screen.getByRole('status')).toHaveProperty('textContent', 'Loading datasets…')
    const link = await screen.findByRole('link', { name: 'Persons by residential planning area' })
    const card = link.closest('li') as HTMLElement
    const dataset = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    const rows = new Intl.NumberFormat('en-SG').format(dataset?.currentVersion?.rowCount ?? -1)
    expect(within(card).getByText(rows)).toBeTruthy()
    expect(within(card).getByText('Restricted / Sensitive Normal')).toBeTruthy()

    await user.click(link)
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa')
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Persons by residential planning area',
      }),
    ).toBeTruthy()
    const schema = screen.getByRole('table', { name: '14 columns of the current version' })
    const keyRow = within(schema)
      .getByRole('rowheader', { name: 'person_key' })
      .closest('tr') as HTMLElement
    expect(within(keyRow).getByText('Direct identifier')).toBeTruthy()
    const versions = screen.getByRole('table', {
      name: 'Every published version; each is immutable',
    })
    expect(within(versions).getByRole('rowheader', { name: 'v1' })).toBeTruthy()
  })

  it('says why a dataset cannot be shown and offers a way back', async () => {
    renderAt('/datasets/no-such-dataset')
    const alert = await screen.findByRole('alert')
    expect(
      within(alert).getByRole('heading', { name: 'This dataset could not be shown' }),
    ).toBeTruthy()
    expect(within(alert).getByText("Dataset 'no-such-dataset' not found")).toBeTruthy()
    expect(within(alert).getByRole('link', { name: 'Back to all datasets' })).toBeTruthy()
  })

  it('has a page for addresses that lead nowhere', async () => {
    renderAt('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy()
  })
})
