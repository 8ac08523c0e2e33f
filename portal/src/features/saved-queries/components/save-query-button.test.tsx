import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { openPortal } from '../../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moh' })

const SQL =
  'SELECT planning_area_code, count(*) AS n FROM postal_geocode_reference WHERE planning_area_code <> $skip GROUP BY 1 LIMIT $top'

describe('saving the workbench’s query', () => {
  it('names it, types each $parameter, and lists it with a link to its page', async () => {
    const user = userEvent.setup()
    portal.renderAt(`/query?${new URLSearchParams({ sql: SQL })}`)
    await user.click(await screen.findByRole('button', { name: 'Save query' }))
    const dialog = await screen.findByRole('dialog', { name: 'Save query' })
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(within(dialog).getByText('Give the query a name')).toBeTruthy()

    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Areas but one')
    expect(
      within(dialog)
        .getAllByRole('combobox')
        .map((select) => (select as HTMLSelectElement).value),
    ).toEqual(['text', 'integer'])
    // A type chosen by hand is kept (and the choosing does not break the dialog).
    const second = within(dialog).getAllByRole('combobox')[1] as HTMLSelectElement
    await user.selectOptions(second, 'number')
    await user.selectOptions(second, 'integer')
    expect(second.value).toBe('integer')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    expect(await within(dialog).findByRole('status')).toHaveProperty(
      'textContent',
      'Saved “Areas but one”.',
    )
    const link = within(dialog).getByRole('link', { name: 'Open the saved query' })
    expect(link.getAttribute('href')).toMatch(/^\/queries\/sq_[0-9a-f]{32}$/)

    await user.keyboard('{Escape}')
    const list = await screen.findByRole('region', { name: 'Your saved queries' })
    expect(await within(list).findByRole('link', { name: 'Areas but one' })).toBeTruthy()
  }, 30_000)
})
