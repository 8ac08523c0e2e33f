import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { fillIn, openPortal } from '../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moh' })

describe('the business glossary page', () => {
  it('explains glossary terms, links them to the columns that carry them, and filters', async () => {
    const user = userEvent.setup()
    portal.renderAt('/glossary')
    const uses = await screen.findByRole('list', { name: 'Columns described by Planning area' })
    const use = within(uses).getByRole('link', { name: 'person-address-pa' })
    expect(use.closest('li')?.textContent).toContain('planning_area_code')
    await user.type(screen.getByLabelText('Filter terms'), 'postal')
    expect(screen.queryByRole('list', { name: 'Columns described by Planning area' })).toBeNull()
    expect(screen.getByText('Postal code')).toBeTruthy()
    await user.clear(screen.getByLabelText('Filter terms'))
    await user.type(screen.getByLabelText('Filter terms'), 'zzzz')
    expect(screen.getByRole('heading', { name: 'No term matches “zzzz”' })).toBeTruthy()
  })

  it("shows each term's synonyms and abbreviations, and filters by them", async () => {
    const user = userEvent.setup()
    portal.renderAt('/glossary')
    const nric = await screen.findByRole('article', { name: 'NRIC/FIN' })
    expect(within(nric).getByText('NRIC, FIN')).toBeTruthy()
    expect(within(nric).getByText(/identity card number/)).toBeTruthy()
    await user.type(screen.getByLabelText('Filter terms'), 'where they live')
    expect(screen.getByRole('heading', { name: 'Address' })).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'NRIC/FIN' })).toBeNull()
  })

  it('lets stewards define and redefine glossary terms; officers only read them', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fglossary')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    expect(await screen.findByRole('heading', { name: 'Business glossary' })).toBeTruthy()
    await screen.findByText('Planning area')
    expect(screen.queryByRole('button', { name: 'New term' })).toBeNull()
    cleanup()

    portal.clearCookies()
    portal.renderAt('/sign-in?returnTo=%2Fglossary')
    await user.click(await screen.findByRole('button', { name: /^steward\.moh/ }))
    await user.click(await screen.findByRole('button', { name: 'New term' }))
    const form = screen.getByRole('form', { name: 'New term' })
    await fillIn(user, within(form).getByLabelText('Term'), 'Vaccination status')
    await fillIn(
      user,
      within(form).getByLabelText('Definition'),
      'Whether a person has completed the national vaccination schedule.',
    )
    await user.click(within(form).getByRole('button', { name: 'Add term' }))
    expect(await screen.findByText('Vaccination status')).toBeTruthy()

    // The API's refusal is shown in the form, not swallowed.
    await user.click(screen.getByRole('button', { name: 'New term' }))
    const again = screen.getByRole('form', { name: 'New term' })
    await fillIn(user, within(again).getByLabelText('Term'), 'vaccination STATUS')
    await fillIn(user, within(again).getByLabelText('Definition'), 'The same term, other letters.')
    await user.click(within(again).getByRole('button', { name: 'Add term' }))
    expect(await within(again).findByText(/already exists/)).toBeTruthy()
    await user.click(within(again).getByRole('button', { name: 'Cancel' }))

    await user.click(screen.getByRole('button', { name: 'Edit Vaccination status' }))
    const edit = screen.getByRole('form', { name: 'Edit Vaccination status' })
    await user.clear(within(edit).getByLabelText('Definition'))
    await fillIn(
      user,
      within(edit).getByLabelText('Definition'),
      'Doses received against the national schedule: none, partial or complete.',
    )
    await user.type(within(edit).getByLabelText('Synonyms'), 'jab status{Enter}')
    await user.click(within(edit).getByRole('button', { name: 'Save term' }))
    expect(
      await within(await screen.findByRole('article', { name: 'Vaccination status' })).findByText(
        'jab status',
      ),
    ).toBeTruthy()
    expect(
      await screen.findByText(
        'Doses received against the national schedule: none, partial or complete.',
      ),
    ).toBeTruthy()
    // The form closes once the save is through, which on a busy machine may be a moment later
    // than the refreshed list shows the new definition.
    await waitFor(() =>
      expect(screen.queryByRole('form', { name: 'Edit Vaccination status' })).toBeNull(),
    )
  })
})
