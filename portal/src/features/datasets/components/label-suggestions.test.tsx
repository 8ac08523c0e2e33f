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
import { fillIn } from '../../../portal-test-kit.js'
import type { DatasetDetail } from '../api/use-datasets.js'
import { LabelSuggestions } from './label-suggestions.js'

// The suggestions come from the fixture's own published sample report, and labels go to the real
// API: its fetch is the app's own request, signed in as one fixture user.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

const SLUG = 'person-address-pa'

async function datasetAs(user: string): Promise<DatasetDetail> {
  const res = await app.request(`/api/datasets/${SLUG}`, { headers: await signInAs(app, user) })
  return ((await res.json()) as { data: DatasetDetail }).data
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
          <LabelSuggestions dataset={await datasetAs(user)} />
        </ApiProvider>
      </QueryClientProvider>
    </MantineProvider>,
  )
  return screen.getByRole('region', { name: 'Suggested labels' })
}

const itemOf = (list: HTMLElement, column: string) =>
  within(list)
    .getAllByRole('listitem')
    .find((li) => li.textContent?.startsWith(`${column} is labelled`)) as HTMLElement

describe('suggested labels', () => {
  it('lists what the data suggests of each column, in words', async () => {
    const section = await renderAs('steward.dos')
    const items = within(section)
      .getAllByRole('listitem')
      .map((li) => li.querySelector('p')?.textContent)
    expect(items).toEqual([
      'region_code is labelled Not personal; the data suggests Quasi-identifier: its name says it is a place.',
      'address_source is labelled Not personal; the data suggests Quasi-identifier: its name says it is a place.',
      'address_conflict is labelled Not personal; the data suggests Quasi-identifier: its name says it is a place.',
      'dq_flags is labelled Not personal; the data suggests Quasi-identifier: 1 rows have a value fewer than 5 rows share.',
    ])
    expect(
      within(section).getByText(/the next published version's sample follows the label/),
    ).toBeTruthy()
  })

  it('accepts a suggestion only with a reason of 10 characters, and records it', async () => {
    const user = userEvent.setup()
    const item = itemOf(await renderAs('steward.dos'), 'region_code')
    await user.click(
      within(item).getByRole('button', { name: 'Accept Quasi-identifier for region_code' }),
    )
    const form = within(item).getByRole('form', { name: 'Label region_code Quasi-identifier' })
    const reason = within(form).getByLabelText('Why is region_code Quasi-identifier?')
    expect(document.activeElement).toBe(reason)
    await user.type(reason, 'too short')
    await user.click(
      within(form).getByRole('button', { name: 'Label region_code Quasi-identifier' }),
    )
    expect(within(form).getByText('Say in at least 10 characters why.')).toBeTruthy()
    expect(reason.getAttribute('aria-invalid')).toBe('true')
    expect(
      (await datasetAs('steward.dos')).columns.find((c) => c.name === 'region_code'),
    ).toMatchObject({
      personalData: 'none',
    })

    await user.clear(reason)
    await fillIn(user, reason, 'Regions narrow down where a person lives')
    await user.click(
      within(form).getByRole('button', { name: 'Label region_code Quasi-identifier' }),
    )
    expect((await within(item).findByRole('status')).textContent).toBe(
      "Saved: region_code is labelled Quasi-identifier. The next published version's sample follows this label.",
    )
    expect(within(item).queryByRole('form')).toBeNull()
    const column = (await datasetAs('steward.dos')).columns.find((c) => c.name === 'region_code')
    expect(column).toMatchObject({
      personalData: 'quasi-identifier',
      personalDataReason: 'Regions narrow down where a person lives',
    })
  })

  it('keeps the current label with a reason, then shows that reason', async () => {
    const user = userEvent.setup()
    const item = itemOf(await renderAs('steward.dos'), 'dq_flags')
    await user.click(within(item).getByRole('button', { name: 'Keep Not personal for dq_flags' }))
    const form = within(item).getByRole('form', { name: 'Keep dq_flags Not personal' })
    await fillIn(
      user,
      within(form).getByLabelText('Why keep Not personal?'),
      'Data-quality flags describe the record, not the person',
    )
    await user.click(within(form).getByRole('button', { name: 'Keep dq_flags Not personal' }))
    expect((await within(item).findByRole('status')).textContent).toBe(
      "Saved: dq_flags is labelled Not personal. The next published version's sample follows this label.",
    )
    expect(
      (await datasetAs('steward.dos')).columns.find((c) => c.name === 'dq_flags'),
    ).toMatchObject({
      personalData: 'none',
      personalDataReason: 'Data-quality flags describe the record, not the person',
    })
    // Opened again, the decided column shows its reason instead of asking again.
    cleanup()
    const decided = itemOf(await renderAs('steward.dos'), 'dq_flags')
    expect(
      within(decided).getByText(
        "Labelled Not personal by a steward: Data-quality flags describe the record, not the person. The next published version's sample follows this label.",
      ),
    ).toBeTruthy()
    expect(within(decided).queryByRole('button')).toBeNull()
  })

  it("shows the server's refusal", async () => {
    const user = userEvent.setup()
    // A steward of another agency: the page would not offer the list, the API refuses the label.
    const item = itemOf(await renderAs('steward.moh'), 'address_source')
    await user.click(
      within(item).getByRole('button', { name: 'Accept Quasi-identifier for address_source' }),
    )
    await fillIn(
      user,
      within(item).getByLabelText('Why is address_source Quasi-identifier?'),
      'Where an address comes from says where a person lives',
    )
    await user.click(
      within(item).getByRole('button', { name: 'Label address_source Quasi-identifier' }),
    )
    const alert = await within(item).findByRole('alert')
    expect(within(alert).getByText('The label was not saved')).toBeTruthy()
    expect(within(alert).getByText('You may not change this dataset')).toBeTruthy()
    expect(within(item).queryByRole('status')).toBeNull()
  })
})
