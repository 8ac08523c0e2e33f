import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../../testing/index.js'
import { openPortal } from '../../../portal-test-kit.js'

// steward.moh has no history with DOS's datasets: each step below is the only one it has.
const portal = openPortal({ signedInAs: 'steward.moh' })

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

const DAY = /\d{1,2} \w{3} \d{4}/.source
const PAGE = '/datasets/person-address-pa'
const heading = () =>
  screen.findByRole('heading', { level: 1, name: 'Persons by residential planning area' })

describe('what the reader has on a dataset, before any form', () => {
  it('shows a waiting request, then access held with its terms, then its revocation', async () => {
    const user = userEvent.setup()
    portal.renderAt(PAGE)
    await heading()
    expect(await screen.findByRole('button', { name: 'Request access' })).toBeTruthy()
    cleanup()

    const request = await api<{ id: string }>('steward.moh', '/api/requests', {
      dataset: 'person-address-pa',
      purpose: 'Plan polyclinic capacity by planning area for 2027',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    portal.renderAt(PAGE)
    await heading()
    const waiting = await screen.findByText(
      new RegExp(`^Your request is with the stewards \\(sent ${DAY}, working day 0 of 7\\)\\.$`),
    )
    const banner = waiting.closest('[role="status"]') as HTMLElement
    expect(
      within(banner).getByRole('link', { name: 'Open your request' }).getAttribute('href'),
    ).toBe(`/requests/${request.id}`)
    // No second request while one waits: the form cannot be opened.
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Ask for different access' })).toBeNull()
    cleanup()

    const approved = await api<{ grant: { id: string } }>(
      'steward.dos',
      `/api/requests/${request.id}/approve`,
      {
        columns: ['person_key', 'planning_area_code', 'age_band'],
        rowFilter: [{ column: 'planning_area_code', op: 'in', values: ['BEDOK', 'TAMPINES'] }],
        inClear: ['person_key'],
      },
    )
    portal.renderAt(PAGE)
    await heading()
    const held = await screen.findByText(new RegExp(`^You hold access until ${DAY}$`))
    const terms = within(held.closest('[role="status"]') as HTMLElement)
    expect(terms.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Columns: person_key, planning_area_code, age_band',
      'Rows where planning_area_code is BEDOK or TAMPINES',
      'In clear: person_key; other identifiers masked',
      expect.stringMatching(new RegExp(`^Until ${DAY}$`)),
    ])
    expect(terms.getByRole('link', { name: 'Query it in the workbench' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Request access' })).toBeNull()
    // A different need is a new request; the one held is shown first.
    await user.click(screen.getByRole('button', { name: 'Ask for different access' }))
    expect(await screen.findByRole('form', { name: 'Request access' })).toBeTruthy()
    cleanup()

    await api('steward.dos', `/api/grants/${approved.grant.id}/revoke`, {
      reason: 'The project closed early',
    })
    portal.renderAt(PAGE)
    await heading()
    const revoked = await screen.findByText(
      new RegExp(`^Your access was revoked on ${DAY} by steward\\.dos$`),
    )
    const ended = within(revoked.closest('[role="status"]') as HTMLElement)
    expect(ended.getByText('Reason: The project closed early')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Request access' })).toBeTruthy()
    cleanup()

    // The requests list says it is revoked, and when: never the old end.
    portal.renderAt('/requests')
    const mine = await screen.findByRole('table', { name: 'Requests you made, newest first' })
    const row = within(mine)
      .getByRole('link', { name: 'Persons by residential planning area' })
      .closest('tr') as HTMLElement
    expect(within(row).getByText('Access revoked')).toBeTruthy()
    expect(within(row).getByText(new RegExp(`^Revoked ${DAY}$`))).toBeTruthy()
    expect(within(row).queryByText(/^Until /)).toBeNull()
  })

  it('amends a waiting request from its page, with the request form in edit mode', async () => {
    const user = userEvent.setup()
    const request = await api<{ id: string }>('steward.moh', '/api/requests', {
      dataset: 'business-by-planning-area',
      purpose: 'Map clinics against business density by planning area',
      legalBasis: 'PSGA 2018 s. 25',
      durationDays: 30,
    })
    portal.renderAt(`/requests/${request.id}`)
    await user.click(await screen.findByRole('button', { name: 'Amend request' }))
    const form = await screen.findByRole('form', { name: 'Amend your request' })
    expect((within(form).getByLabelText('Purpose') as HTMLTextAreaElement).value).toBe(
      'Map clinics against business density by planning area',
    )
    // Nothing changed: nothing is sent.
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    expect(await within(form).findByText(/^Nothing is changed yet/)).toBeTruthy()
    const duration = within(form).getByLabelText('Duration (days)')
    await user.clear(duration)
    await user.type(duration, '60')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    expect(await screen.findByText('60 days')).toBeTruthy()
    expect(screen.queryByRole('form', { name: 'Amend your request' })).toBeNull()
    const after = await api<{ durationDays: number; history: { action: string }[] }>(
      'steward.moh',
      `/api/requests/${request.id}`,
    )
    expect(after.durationDays).toBe(60)
    expect(after.history.map((h) => h.action)).toEqual(['submit', 'amend'])
  })
})
