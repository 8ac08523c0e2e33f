import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { openPortal } from '../../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moh' })

describe('the search page', () => {
  it('has "Skip to results" as the first thing to focus in the page content', async () => {
    portal.renderAt('/?q=planning')
    const skip = await screen.findByRole('link', { name: 'Skip to results' })
    const main = screen.getByRole('main')
    const focusable = main.querySelector(
      'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])',
    )
    expect(focusable).toBe(skip)
    expect(skip.getAttribute('href')).toBe('#search-results')
    expect(document.getElementById('search-results')?.getAttribute('tabindex')).toBe('-1')
  })

  it('suggests columns, terms and datasets as one types, by keyboard or by pointer', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/')
    const box = await screen.findByRole('combobox', { name: 'Search datasets' })
    await user.type(box, 'postal c')
    const listbox = await screen.findByRole('listbox', { name: 'Suggestions' })
    const column = await within(listbox).findByRole('option', {
      name: 'postal_code in Postal code geocode reference (column)',
    })
    expect(column).toBeTruthy()
    // Arrow keys walk the options; Enter on a column searches for it.
    const options = within(listbox).getAllByRole('option')
    for (let i = 0; i <= options.indexOf(column); i++) await user.keyboard('{ArrowDown}')
    await user.keyboard('{Enter}')
    await waitFor(() => expect(router.state.location.search).toBe('?q=postal_code'))

    await user.clear(box)
    await user.type(box, 'nri')
    await user.click(await screen.findByRole('option', { name: 'NRIC/FIN (glossary term)' }))
    await waitFor(() => expect(router.state.location.search).toBe('?q=NRIC%2FFIN'))
    expect(
      await screen.findByRole('link', { name: 'Persons by residential planning area' }),
    ).toBeTruthy()

    await user.clear(box)
    await user.type(box, 'persons by')
    await user.click(
      await screen.findByRole('option', { name: 'Persons by residential planning area (dataset)' }),
    )
    await waitFor(() => expect(router.state.location.pathname).toBe('/datasets/person-address-pa'))
  })

  it('offers "did you mean" on a miss', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/?q=geocde')
    const text = await screen.findByText(/^Did you mean/)
    await user.click(within(text).getByRole('link', { name: 'geocode' }))
    await waitFor(() => expect(router.state.location.search).toBe('?q=geocode'))
  })

  it('shows each filter as a chip to remove, keeps facets on an empty result, and clears all', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/?q=zzqxw&agency=DOS&security=official-open')
    expect(await screen.findByText('0 datasets for "zzqxw"')).toBeTruthy()
    const filters = screen.getByRole('complementary', { name: 'Filters' })
    expect(
      await within(filters).findByRole('checkbox', { name: 'Department of Statistics (0)' }),
    ).toBeTruthy()
    const active = screen.getByRole('region', { name: 'Active filters' })
    expect(within(active).getByText('Security classification: Official (Open)')).toBeTruthy()
    await user.click(
      within(active).getByRole('button', {
        name: 'Remove filter: Agency Department of Statistics',
      }),
    )
    await waitFor(() =>
      expect(router.state.location.search).toBe('?q=zzqxw&security=official-open'),
    )
    await user.click(await screen.findByRole('button', { name: 'Clear all' }))
    await waitFor(() => expect(router.state.location.search).toBe('?q=zzqxw'))
    expect(screen.queryByRole('region', { name: 'Active filters' })).toBeNull()
  })
})
