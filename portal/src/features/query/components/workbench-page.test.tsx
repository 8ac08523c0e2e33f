import { MantineProvider } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../../../../../testing/index.js'
import { createApiClient } from '../../../lib/api-client.js'
import { ApiProvider } from '../../../lib/api-context.js'
import { DatasetData } from './dataset-data.js'
import { WorkbenchPage } from './workbench-page.js'

// The workbench queries the real API over fixture data, as an officer granted the chronic disease
// registry as aggregates only: its fetch is the app's own request, signed in as that officer.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>
const OFFICER = 'officer.moe'
const VIEW = 'chronic_disease_registry'
const EXAMPLE = `SELECT condition_code, count(*) AS people FROM ${VIEW} GROUP BY condition_code`

async function post(user: string, path: string, body: unknown) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { ...(await signInAs(app, user)), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
  return ((await res.json()) as { data: { id: string } }).data
}

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
  const request = await post(OFFICER, '/api/requests', {
    dataset: 'chronic-disease-registry',
    scope: 'aggregates',
    purpose: 'Plan chronic disease programmes by condition and region',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
  })
  await post('steward.moh', `/api/requests/${request.id}/approve`, {})
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

async function renderAt(path: string, element = <WorkbenchPage />) {
  const signedIn = await signInAs(app, OFFICER)
  const client = createApiClient('http://portal.test/', async (input, init) => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(signedIn)) headers.set(name, value)
    return app.request(String(input), { ...init, headers })
  })
  const router = createMemoryRouter(
    [
      { path: '/query', element },
      { path: '/datasets/:slug', element },
    ],
    { initialEntries: [path] },
  )
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <ApiProvider client={client}>
          <RouterProvider router={router} />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
}

const query = (sql: string) => `/query?sql=${encodeURIComponent(sql)}`
const downloads = () =>
  within(screen.getByRole('group', { name: 'Download the whole answer' })).getAllByRole('button')
const editorText = () => document.querySelector('.cm-content')?.textContent

describe('aggregate-only views in the workbench', () => {
  it('marks them, says what they take with an example over their columns, and starts with it', async () => {
    await renderAt(query('SELECT * FROM postal_geocode_reference LIMIT 5'))
    const views = await screen.findByRole('region', { name: 'Your views' })
    const pick = await within(views).findByRole('button', { name: VIEW })
    const card = pick.closest('.mantine-Paper-root') as HTMLElement
    expect(within(card).getByText('Aggregates only')).toBeTruthy()
    expect(
      within(card).getByText(
        'One SELECT … GROUP BY with count(*), count(), sum() and avg() only; every cell must count at least 10 people, and the answer comes as JSON.',
      ),
    ).toBeTruthy()
    expect(within(card).getByText(EXAMPLE)).toBeTruthy()
    expect(within(card).queryByText('person_key')).toBeNull()
    const postal = within(views)
      .getByRole('button', { name: 'postal_geocode_reference' })
      .closest('.mantine-Paper-root') as HTMLElement
    expect(within(postal).queryByText('Aggregates only')).toBeNull()

    // Downloads are there for a view read row by row, and go with the aggregate-only view.
    expect(downloads().map((b) => (b as HTMLButtonElement).disabled)).toEqual([
      false,
      false,
      false,
      false,
    ])
    await userEvent.setup().click(pick)
    expect(editorText()).toBe(EXAMPLE)
    expect(downloads().map((b) => (b as HTMLButtonElement).disabled)).toEqual([
      true,
      true,
      true,
      true,
    ])
    const why = screen.getByText(/^No downloads: chronic_disease_registry is for aggregates only/)
    expect(why.textContent).toBe(
      'No downloads: chronic_disease_registry is for aggregates only, so answers come as JSON here, each checked before it is shown. Run the query to see it.',
    )
    expect(
      screen
        .getByRole('group', { name: 'Download the whole answer' })
        .getAttribute('aria-describedby'),
    ).toBe(why.id)
  })

  it('shows a refusal of the output checks rule by rule, in full', async () => {
    const sql = `SELECT planning_area_code, condition_code, count(*) AS people FROM ${VIEW} GROUP BY 1, 2`
    const res = await app.request('/api/query', {
      method: 'POST',
      headers: { ...(await signInAs(app, OFFICER)), 'content-type': 'application/json' },
      body: JSON.stringify({ sql, format: 'json' }),
    })
    const refused = ((await res.json()) as { error: { code: string; message: string } }).error
    expect(refused.code).toBe('query_refused')
    const what = /minimum count \(.+?\): (.+?)\. Group more broadly/.exec(refused.message)?.[1]
    expect(what).toBe('cells grouped by planning_area_code, condition_code')

    await renderAt(query(sql))
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Run (Ctrl+Enter)' }))
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 })
    expect(
      within(alert).getByRole('heading', {
        name: 'The answer was held back by the output checks',
      }),
    ).toBeTruthy()
    expect(
      within(alert).getByText(
        'The answer did not pass output checks (this grant is for aggregates only).',
      ),
    ).toBeTruthy()
    expect(within(alert).getByText(`Broken by ${what}.`)).toBeTruthy()
    expect(
      within(alert).getByText('Group more broadly or filter less narrowly, and ask again.'),
    ).toBeTruthy()
  })

  it('offers the grant on the dataset page as a way into the workbench, not as downloads', async () => {
    await renderAt(
      '/datasets/chronic-disease-registry',
      <DatasetData slug="chronic-disease-registry" />,
    )
    expect(await screen.findByText('Aggregates only (your grant)')).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'CSV' })).toBeNull()
    expect(
      screen.getByRole('link', { name: 'Count people in the workbench' }).getAttribute('href'),
    ).toBe(query(EXAMPLE))
  })
})
