import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../../testing/index.js'
import { openPortal } from '../../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'steward.dos' })

/** Calls the API as `user`, failing the test on any error; the answer's data. */
async function api<T>(user: string, path: string, body?: unknown): Promise<T> {
  const res = await portal.app.request(path, {
    method: body ? 'POST' : 'GET',
    headers: { ...(await signInAs(portal.app, user)), 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const json = (await res.json()) as { data: T }
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`)
  return json.data
}

const ask = (dataset: string, columns?: string[]) =>
  api<{ id: string }>('officer.moh', '/api/requests', {
    dataset,
    ...(columns && { columns }),
    purpose: `Plan polyclinic services across planning areas with ${dataset}`,
    legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
    durationDays: 90,
  })

describe('the approve dialog', () => {
  it("shows the columns' personal-data badges and the requester's history with this agency", async () => {
    const user = userEvent.setup()
    // Before: a grant on another DOS dataset, and a request to GOVTECH that DOS must not see.
    const earlier = await ask('business-by-planning-area')
    await api('steward.dos', `/api/requests/${earlier.id}/approve`, {})
    await ask('government-systems-register')
    const current = await ask('person-address-pa', ['person_key', 'race_code', 'age_band'])

    portal.renderAt(`/requests/${current.id}`)
    await user.click(await screen.findByRole('button', { name: 'Approve…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Approve this request' })

    const badgeOf = async (column: string) =>
      within(dialog)
        .getByRole('checkbox', { name: new RegExp(`^${column}`) })
        .closest('.mantine-Checkbox-root')?.textContent
    await within(dialog).findByRole('checkbox', { name: /^person_key/ })
    expect(await badgeOf('person_key')).toBe('person_key Direct identifier')
    expect(await badgeOf('race_code')).toBe('race_code Sensitive')
    expect(await badgeOf('age_band')).toBe('age_band Quasi-identifier')

    const history = await within(dialog).findByRole('region', {
      name: "officer.moh's past requests to DOS",
    })
    // Newest first: the grant just made leads whatever older history the fixtures hold.
    const [past] = await within(history).findAllByRole('link', {
      name: 'Business entities by planning area and industry',
    })
    const item = past?.closest('li') as HTMLElement
    expect(within(item).getByText('Access granted')).toBeTruthy()
    expect(within(item).getByText(/^asked .*; decided .*; until .*; not used$/)).toBeTruthy()
    expect(
      within(history).queryByRole('link', { name: 'Government ICT systems register' }),
    ).toBeNull()
    // The request being decided is not its own history.
    expect(
      within(history)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).not.toContain(`/requests/${current.id}`)

    await user.click(within(dialog).getByRole('button', { name: 'Approve' }))
    // Said once the request is refreshed, which a busy machine takes its time over.
    const done = await screen.findByRole('status', { name: 'Done' }, { timeout: 10_000 })
    expect(done.textContent).toMatch(
      /^DoneApproved: officer\.moh can read Persons by residential planning area until \d+ \w+ \d{4}\. They have been told\.$/,
    )
  })
})
