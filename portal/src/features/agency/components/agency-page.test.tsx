import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../../../../testing/index.js'
import { formatDay } from '../../../lib/format.js'
import { fillIn, openPortal } from '../../../portal-test-kit.js'

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

const ask = (user: string, dataset: string) =>
  api<{ id: string }>(user, '/api/requests', {
    dataset,
    purpose: `Plan services across planning areas with ${dataset}`,
    legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
    durationDays: 90,
  })

/** The body rows of a table, each as its text. */
const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.textContent ?? '')

let rejected: string
beforeAll(async () => {
  const granted = await ask('officer.moh', 'person-address-pa')
  await api('steward.dos', `/api/requests/${granted.id}/approve`, {
    rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
    expiresAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
  })
  rejected = (await ask('officer.moe', 'business-by-planning-area')).id
  await api('steward.dos', `/api/requests/${rejected}/reject`, {
    reason: 'The purpose does not need business data',
  })
})

describe("a steward's agency page", () => {
  it('lists every request of the agency, filtered by state, dataset and requester', async () => {
    const user = userEvent.setup()
    portal.renderAt('/')
    const nav = await screen.findByRole('navigation', { name: 'Main' })
    await user.click(await within(nav).findByRole('link', { name: 'Agency sharing' }))
    expect(await screen.findByRole('heading', { level: 1, name: /^Agency: / })).toBeTruthy()
    await screen.findByRole('table', { name: "Requests on your agency's datasets, newest first" })

    await user.selectOptions(screen.getByLabelText('State'), 'rejected')
    await user.type(screen.getByLabelText('Requester'), 'officer.moe')
    await waitFor(() => {
      const rows = rowsOf(screen.getByRole('table', { name: /^Requests on your agency/ }))
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.every((r) => r.includes('officer.moe (MOE)') && r.includes('Rejected'))).toBe(
        true,
      )
    })
    const table = screen.getByRole('table', { name: /^Requests on your agency/ })
    expect(
      within(table)
        .getAllByRole('link')
        .map((a) => a.getAttribute('href')),
    ).toContain(`/requests/${rejected}`)

    await user.selectOptions(screen.getByLabelText('State'), '')
    await user.clear(screen.getByLabelText('Requester'))
    await user.type(screen.getByLabelText('Requester'), 'officer.moh')
    await user.selectOptions(screen.getByLabelText('Dataset'), 'person-address-pa')
    await waitFor(() => {
      const rows = rowsOf(screen.getByRole('table', { name: /^Requests on your agency/ }))
      expect(rows[0]).toMatch(/Persons by residential planning area.*officer\.moh \(MOH\)/)
      expect(rows[0]).toContain('Access granted')
      expect(
        rows.every((r) => r.includes('Persons by residential') && r.includes('officer.moh')),
      ).toBe(true)
    })
  })

  it('finds a grant by grantee, shows its rows, end and use, and revokes it there', async () => {
    const user = userEvent.setup()
    portal.renderAt('/agency?tab=expiring')
    const expiring = await screen.findByRole('table', {
      name: 'Grants ending in the next 30 days, soonest first',
    })
    expect(
      rowsOf(expiring).some((r) => r.includes('planning_area_code is BEDOK or TAMPINES')),
    ).toBe(true)

    await user.click(screen.getByRole('tab', { name: 'Grants' }))
    await user.type(await screen.findByLabelText('Grantee'), 'officer.moh')
    await user.selectOptions(screen.getByLabelText('Status'), 'active')
    await waitFor(() => {
      const rows = rowsOf(screen.getByRole('table', { name: /^Grants on your agency/ }))
      expect(rows.every((r) => r.includes('officer.moh (MOH)'))).toBe(true)
    })
    const cell = await screen.findByText('Where planning_area_code is BEDOK or TAMPINES')
    const row = cell.closest('tr') as HTMLElement
    expect(within(row).getByText('Not used yet')).toBeTruthy()
    expect(within(row).getByText(/^Until \d+ \w+ \d{4}$/)).toBeTruthy()

    await user.click(within(row).getByRole('button', { name: /^Revoke access of officer\.moh/ }))
    const dialog = await screen.findByRole('dialog', { name: 'Revoke access' })
    await fillIn(user, within(dialog).getByLabelText('Reason to revoke'), 'The project has ended')
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    // Said once the lists are refreshed, which a busy machine takes its time over.
    const confirmation = await screen.findByRole(
      'status',
      { name: 'Access revoked' },
      { timeout: 10_000 },
    )
    expect(confirmation.textContent).toContain(
      'officer.moh no longer has access to Persons by residential planning area',
    )

    await user.selectOptions(screen.getByLabelText('Status'), 'revoked')
    const revoked = (
      await screen.findByText('Where planning_area_code is BEDOK or TAMPINES')
    ).closest('tr') as HTMLElement
    expect(within(revoked).getByText(`Revoked ${formatDay(new Date().toISOString())}`)).toBeTruthy()
    expect(within(revoked).queryByRole('button', { name: /^Revoke/ })).toBeNull()
  })
})
