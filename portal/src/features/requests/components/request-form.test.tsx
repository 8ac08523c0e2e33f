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
import { fillIn } from '../../../portal-test-kit.js'
import type { RequestDetail, RequestSummary } from '../api/use-requests.js'
import type { RequestedDataset } from './request-draft.js'
import { RequestForm } from './request-form.js'

// Requests go to the real API over fixture data: its fetch is the app's own request, signed in
// as one fixture user. A person may have one open request per dataset, so each test that sends
// one signs in as a user of its own.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

const SLUG = 'person-address-pa'
const PURPOSE = 'Plan polyclinic capacity by planning area for 2027'
const LEGAL_BASIS = 'Public Sector (Governance) Act 2018, s. 25'

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

/** The requests `user` has open, newest first. */
const openRequestsOf = async (user: string) =>
  (await api<RequestSummary[]>(user, '/api/requests?mine=true')).filter(
    (r) => r.dataset.slug === SLUG && (r.state === 'submitted' || r.state === 'needs-info'),
  )

/** Renders the form for the dataset as `user`, with a marker page at `/requests/:id`. */
async function renderForm(user: string) {
  const dataset = await api<RequestedDataset>(user, `/api/datasets/${SLUG}`)
  const signedIn = await signInAs(app, user)
  const client = createApiClient('http://portal.test/', async (input, init) => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(signedIn)) headers.set(name, value)
    return app.request(String(input), { ...init, headers })
  })
  const done: string[] = []
  const router = createMemoryRouter([
    {
      path: '/',
      element: (
        <RequestForm dataset={dataset} onDone={() => done.push(router.state.location.pathname)} />
      ),
    },
    { path: '/requests/:id', element: <p>Request sent</p> },
  ])
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <ApiProvider client={client}>
          <RouterProvider router={router} />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
  const form = screen.getByRole('form', { name: 'Request access' })
  return { form, router, dataset, done, user: userEvent.setup() }
}

const columnsGroup = (form: HTMLElement) => within(form).getByRole('group', { name: /^Columns / })
const columnBox = (form: HTMLElement, column: string) =>
  within(columnsGroup(form)).getByRole('checkbox', { name: new RegExp(`^${column} `) })

async function sentRequest(user: string, router: { state: { location: { pathname: string } } }) {
  await screen.findByText('Request sent')
  const id = router.state.location.pathname.replace('/requests/', '')
  return api<RequestDetail>(user, `/api/requests/${id}`)
}

describe('the request form', () => {
  it('opens with the keyboard on its heading, every column chosen and nothing to fix', async () => {
    const { form, dataset } = await renderForm('steward.moh')
    expect(document.activeElement).toBe(
      within(form).getByRole('heading', { level: 2, name: 'Request access' }),
    )
    expect(dataset.columns.length).toBe(16)
    expect(within(form).getByRole('group', { name: 'Columns (16 of 16 chosen)' })).toBeTruthy()
    expect(
      within(columnsGroup(form))
        .getAllByRole('checkbox')
        .map((box) => (box as HTMLInputElement).checked),
    ).toEqual(dataset.columns.map(() => true))
    // Each column says whether it identifies people.
    for (const name of ['person_key Direct identifier', 'region_code Not personal'])
      expect(within(columnsGroup(form)).getByRole('checkbox', { name })).toBeTruthy()
    expect(within(form).queryByText(/^Choose at least one column/)).toBeNull()
    expect(within(form).queryByText(/^Say what the data is for/)).toBeNull()
    expect((within(form).getByLabelText('Duration (days)') as HTMLInputElement).value).toBe('90')
  })

  it('counts the columns chosen, clears them and chooses them all again', async () => {
    const { form, user } = await renderForm('steward.moh')
    await user.click(within(form).getByRole('button', { name: 'Clear' }))
    expect(within(form).getByRole('group', { name: 'Columns (0 of 16 chosen)' })).toBeTruthy()
    await user.click(columnBox(form, 'planning_area_code'))
    expect(within(form).getByRole('group', { name: 'Columns (1 of 16 chosen)' })).toBeTruthy()
    expect(columnBox(form, 'planning_area_code')).toHaveProperty('checked', true)
    expect(columnBox(form, 'person_key')).toHaveProperty('checked', false)
    await user.click(within(form).getByRole('button', { name: 'Choose all' }))
    expect(within(form).getByRole('group', { name: 'Columns (16 of 16 chosen)' })).toBeTruthy()
    expect(columnBox(form, 'person_key')).toHaveProperty('checked', true)
  })

  it('says what to fix once sent, takes the keyboard to the first problem, and sends nothing', async () => {
    const { form, router, user } = await renderForm('steward.govtech')
    await user.click(within(form).getByRole('button', { name: 'Clear' }))
    await user.clear(within(form).getByLabelText('Duration (days)'))
    await user.type(within(form).getByLabelText('Project (optional)'), 'ab')
    await user.type(within(form).getByLabelText('Partner agencies (optional)'), 'MOH, H')
    // Nothing is said before the person tries to send.
    expect(within(form).queryByText('Choose at least one column.')).toBeNull()
    await user.click(within(form).getByRole('button', { name: 'Send request' }))

    for (const problem of [
      'Choose at least one column.',
      'Say what the data is for in at least 20 characters (0 so far).',
      'Name the law or agreement that allows this use.',
      'Enter a whole number of days from 1 to 730.',
      'Give the project a name of at least 3 characters, or leave it empty.',
      'Write each agency as its code of at least 2 letters, e.g. MOE.',
    ])
      expect(within(form).getByText(problem)).toBeTruthy()
    expect(document.activeElement).toBe(within(columnsGroup(form)).getAllByRole('checkbox')[0])
    expect(within(form).getByLabelText('Purpose').getAttribute('aria-invalid')).toBe('true')

    // The problems follow what is typed.
    await user.type(within(form).getByLabelText('Purpose'), 'Planning')
    expect(
      within(form).getByText('Say what the data is for in at least 20 characters (8 so far).'),
    ).toBeTruthy()
    await user.clear(within(form).getByLabelText('Project (optional)'))
    expect(within(form).getByText('Name the project to list its partners.')).toBeTruthy()
    expect(
      within(form).queryByText(
        'Give the project a name of at least 3 characters, or leave it empty.',
      ),
    ).toBeNull()
    await user.click(columnBox(form, 'planning_area_code'))
    expect(within(form).queryByText('Choose at least one column.')).toBeNull()

    // Sent again, the keyboard goes to what is now first to fix.
    await user.click(within(form).getByRole('button', { name: 'Send request' }))
    expect(document.activeElement).toBe(within(form).getByLabelText('Purpose'))
    expect(router.state.location.pathname).toBe('/')
    expect(await openRequestsOf('steward.govtech')).toEqual([])
  })

  it('sends only the columns chosen, with the project and its partners, then opens the request', async () => {
    const { form, router, done, user } = await renderForm('officer.moh')
    await user.click(within(form).getByRole('button', { name: 'Clear' }))
    await user.click(columnBox(form, 'planning_area_code'))
    await user.click(columnBox(form, 'residential_status'))
    await user.type(within(form).getByLabelText('Purpose'), `  ${PURPOSE}  `)
    await user.type(within(form).getByLabelText('Legal basis'), LEGAL_BASIS)
    const days = within(form).getByLabelText('Duration (days)')
    await user.clear(days)
    await user.type(days, '30')
    await fillIn(
      user,
      within(form).getByLabelText('Project (optional)'),
      'Polyclinic capacity 2027',
    )
    await user.type(within(form).getByLabelText('Partner agencies (optional)'), 'MOE, HDB ,')
    await user.click(within(form).getByRole('button', { name: 'Send request' }))

    expect(await sentRequest('officer.moh', router)).toMatchObject({
      dataset: { slug: SLUG },
      scope: 'rows',
      columns: ['planning_area_code', 'residential_status'],
      purpose: PURPOSE,
      legalBasis: LEGAL_BASIS,
      durationDays: 30,
      project: { name: 'Polyclinic capacity 2027', partnerAgencies: ['MOE', 'HDB'] },
    })
    // The form was told it is done while still open.
    expect(done).toEqual(['/'])
  })

  it('asks for every column by naming none, and for no project when none is named', async () => {
    const { form, router, user } = await renderForm('officer.moe')
    await user.type(within(form).getByLabelText('Purpose'), PURPOSE)
    await user.type(within(form).getByLabelText('Legal basis'), LEGAL_BASIS)
    await user.click(within(form).getByRole('button', { name: 'Send request' }))
    expect(await sentRequest('officer.moe', router)).toMatchObject({
      columns: null,
      durationDays: 90,
      project: null,
    })
  })

  it('closes on Cancel and sends nothing', async () => {
    const { form, router, done, user } = await renderForm('steward.sla')
    await user.type(within(form).getByLabelText('Purpose'), PURPOSE)
    await user.click(within(form).getByRole('button', { name: 'Cancel' }))
    expect(done).toEqual(['/'])
    expect(router.state.location.pathname).toBe('/')
    expect(await openRequestsOf('steward.sla')).toEqual([])
  })

  it("shows the server's refusal and stays open", async () => {
    const open = await api<{ id: string }>('leader.mddi', '/api/requests', {
      dataset: SLUG,
      purpose: PURPOSE,
      legalBasis: LEGAL_BASIS,
      durationDays: 30,
    })
    const { form, router, done, user } = await renderForm('leader.mddi')
    await user.type(within(form).getByLabelText('Purpose'), PURPOSE)
    await user.type(within(form).getByLabelText('Legal basis'), LEGAL_BASIS)
    await user.click(within(form).getByRole('button', { name: 'Send request' }))
    const alert = await within(form).findByRole('alert')
    expect(within(alert).getByText('The request was not sent')).toBeTruthy()
    expect(
      within(alert).getByText(
        /^You already have a request for Persons by residential planning area waiting for the stewards \(your request of \d{1,2} \w{3} \d{4}\): amend it or withdraw it rather than sending another$/,
      ),
    ).toBeTruthy()
    expect(router.state.location.pathname).toBe('/')
    expect(done).toEqual([])
    expect((await openRequestsOf('leader.mddi')).map((r) => r.id)).toEqual([open.id])
  })
})
