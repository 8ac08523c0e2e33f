import { MantineProvider } from '@mantine/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../../../../../testing/index.js'
import type { PersonalDataKind } from '../../../components/ui/personal-data-badge.js'
import { createApiClient } from '../../../lib/api-client.js'
import { ApiProvider } from '../../../lib/api-context.js'
import { fillIn } from '../../../portal-test-kit.js'
import { DatasetAccess } from './dataset-access.js'
import { RequestForm } from './request-form.js'
import { RequestPage } from './request-page.js'
import { RequestsPage } from './requests-page.js'

// Requests go to the real API over fixture data: its fetch is the app's own request, signed in
// as one fixture user.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

const REGISTRY = 'chronic-disease-registry'
const AGGREGATES = 'Aggregates only (answers checked before they leave)'
const ROWS = 'The data, row by row'

interface FormDataset {
  slug: string
  classification: { sensitivity: string }
  columns: { name: string; personalData: PersonalDataKind }[]
}

async function api<T>(user: string, path: string, body?: unknown): Promise<T> {
  const res = await app.request(path, {
    method: body ? 'POST' : 'GET',
    headers: { ...(await signInAs(app, user)), 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as { data: T }
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json.data
}

/** Renders `element` at `/`, and a marker page at `/requests/:id`, as the signed-in `user`. */
async function renderAs(user: string, routes: { path: string; element: ReactNode }[]) {
  const signedIn = await signInAs(app, user)
  const client = createApiClient('http://portal.test/', async (input, init) => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(signedIn)) headers.set(name, value)
    return app.request(String(input), { ...init, headers })
  })
  const router = createMemoryRouter(routes, { initialEntries: [routes[0]?.path ?? '/'] })
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <ApiProvider client={client}>
          <RouterProvider router={router} />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
  return router
}

async function renderForm(user: string, slug: string) {
  const dataset = await api<FormDataset>(user, `/api/datasets/${slug}`)
  const router = await renderAs(user, [
    { path: '/', element: <RequestForm dataset={dataset} onDone={() => {}} /> },
    { path: '/requests/:id', element: <p>Request sent</p> },
  ])
  return { form: screen.getByRole('form', { name: 'Request access' }), router }
}

async function fillAndSend(form: HTMLElement) {
  const user = userEvent.setup()
  await fillIn(
    user,
    within(form).getByLabelText('Purpose'),
    'Plan chronic disease programmes by condition and region',
  )
  await fillIn(user, within(form).getByLabelText('Legal basis'), 'PSGA 2018 s. 25')
  await user.click(within(form).getByRole('button', { name: 'Send request' }))
  await screen.findByText('Request sent')
}

async function sentRequest(user: string, router: { state: { location: { pathname: string } } }) {
  const id = router.state.location.pathname.replace('/requests/', '')
  return api<{ scope: string; approvalsNeeded: number }>(user, `/api/requests/${id}`)
}

const radio = (form: HTMLElement, name: string) =>
  within(within(form).getByRole('radiogroup', { name: 'What you need' })).getByRole('radio', {
    name,
  }) as HTMLInputElement

describe('the scope of a request', () => {
  it('asks for aggregates of Sensitive-High data by default, says why, and sends the scope', async () => {
    const { form, router } = await renderForm('officer.moe', REGISTRY)
    expect(radio(form, AGGREGATES).checked).toBe(true)
    expect(radio(form, ROWS).checked).toBe(false)
    expect(
      within(form).getByText(
        /^This dataset is Sensitive-High, so aggregates are chosen for you: one steward can approve them, where the rows need two/,
      ),
    ).toBeTruthy()
    // Each choice says in one sentence what it gives and the approvals it takes.
    expect(
      within(form).getByText(/Sensitive-High data needs the approval of two stewards\.$/),
    ).toBeTruthy()
    expect(
      within(form).getByText(/one steward approves, even for Sensitive-High data\.$/),
    ).toBeTruthy()
    await fillAndSend(form)
    expect(await sentRequest('officer.moe', router)).toMatchObject({
      scope: 'aggregates',
      approvalsNeeded: 1,
    })
  })

  it('sends the rows when chosen, which Sensitive-High data needs two approvals for', async () => {
    const { form, router } = await renderForm('leader.mddi', REGISTRY)
    await userEvent.setup().click(radio(form, ROWS))
    expect(radio(form, ROWS).checked).toBe(true)
    await fillAndSend(form)
    expect(await sentRequest('leader.mddi', router)).toMatchObject({
      scope: 'rows',
      approvalsNeeded: 2,
    })
  })

  it('asks for the rows of other data by default', async () => {
    const { form, router } = await renderForm('officer.moe', 'person-address-pa')
    expect(radio(form, ROWS).checked).toBe(true)
    expect(within(form).queryByText(/so aggregates are chosen for you/)).toBeNull()
    await fillAndSend(form)
    expect(await sentRequest('officer.moe', router)).toMatchObject({
      scope: 'rows',
      approvalsNeeded: 1,
    })
  })

  it('shows stewards the scope in their queue, on the request, when approving, and on the grant', async () => {
    const request = await api<{ id: string }>('steward.sla', '/api/requests', {
      dataset: REGISTRY,
      scope: 'aggregates',
      purpose: 'Count chronic conditions by region for land-use planning',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    await renderAs('steward.moh', [
      { path: '/', element: <RequestsPage /> },
      { path: '/requests/:id', element: <RequestPage /> },
    ])
    const queue = await screen.findByRole('table', { name: 'Waiting for your agency' })
    const link = within(queue)
      .getAllByRole('link', { name: 'Chronic disease registry' })
      .find((a) => a.getAttribute('href') === `/requests/${request.id}`) as HTMLElement
    expect(within(link.closest('tr') as HTMLElement).getByText('Aggregates only')).toBeTruthy()

    const user = userEvent.setup()
    await user.click(link)
    expect(
      await screen.findByText(
        'Aggregates only: answers of aggregate queries, each checked before it leaves',
      ),
    ).toBeTruthy()
    expect(screen.getByText('0 of 1')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Approve…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Approve this request' })
    const note = within(dialog).getByRole('note')
    expect(within(note).getByText('Aggregates only')).toBeTruthy()
    expect(within(dialog).queryByText('Two stewards must approve')).toBeNull()
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }))
    const grant = await screen.findByRole('region', { name: 'Access granted' })
    expect(
      within(grant).getByText(
        'Aggregates only: answers of aggregate queries in the workbench, each checked before it is released. No record is shown.',
      ),
    ).toBeTruthy()
    cleanup()

    await renderAs('steward.moh', [{ path: '/', element: <DatasetAccess slug={REGISTRY} /> }])
    const grants = await screen.findByRole('table', {
      name: 'Grants on this dataset, newest first',
    })
    const row = within(grants).getByRole('row', { name: /steward\.sla/ })
    expect(within(row).getByText('Aggregates only')).toBeTruthy()
  })
})
