import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { openPortal } from '../../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'admin' })

/** This quarter and year in Singapore, as the KPIs label them. */
function current() {
  const [year = '', month = ''] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Singapore' })
    .format(new Date())
    .split('-')
  return { year, quarter: `${year} Q${Math.ceil(Number(month) / 3)}` }
}

describe('a sharing KPI, current and traceable', () => {
  it('lists its quarters up to the present, with why a quarter has no value', async () => {
    portal.renderAt('/kpis/14')
    const table = await screen.findByRole('table', { name: 'Values by quarter' })
    const rows = within(table).getAllByRole('row').slice(1)
    const last = rows.at(-1) as HTMLElement
    expect(within(last).getByRole('rowheader').textContent).toBe(current().quarter)
    // A quarter without a value says why; one with a value still running says it is so far.
    expect(
      within(last).queryByText(/^No cross-agency request was approved in \d{4} Q[1-4] so far$/) ??
        within(last).queryByText('Quarter in progress: value so far'),
    ).not.toBeNull()
    expect(screen.getByText(/· as of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d{2}/)).toBeTruthy()
  })

  it('opens the requests it counts, each linking to its page, and its records’ lineage', async () => {
    const user = userEvent.setup()
    portal.renderAt('/kpis/14')
    await user.click(await screen.findByRole('button', { name: /^\d+ sharing records$/ }))
    const drawer = await screen.findByRole('dialog', { name: 'Requests KPI 14 counts' })
    const list = await within(drawer).findByRole('table', { name: /^Requests counted, / })
    const links = within(list).getAllByRole('link')
    expect(links.length).toBeGreaterThan(0)
    for (const link of links) expect(link.getAttribute('href')).toMatch(/^\/requests\/r_/)
    // An administrator may open every request counted: none is counted only.
    expect(within(drawer).queryByText(/counted that you may not see listed/)).toBeNull()
    await user.keyboard('{Escape}')

    // Its lineage starts from the records it reads, not from the registers.
    expect(screen.getByRole('link', { name: 'its lineage' }).getAttribute('href')).toBe(
      `/lineage?node=${encodeURIComponent('dataset:gov-data-portal:sharing-records')}`,
    )
  })

  it('opens the requests one quarter counts from its row', async () => {
    const user = userEvent.setup()
    portal.renderAt('/kpis/14')
    const table = await screen.findByRole('table', { name: 'Values by quarter' })
    const counted = within(table).getAllByRole('button', { name: /requests counted in/ })
    const first = counted[0] as HTMLElement
    const period = first.textContent?.match(/\d{4} Q[1-4]$/)?.[0]
    await user.click(first)
    const drawer = await screen.findByRole('dialog', {
      name: `Requests KPI 14 counts in ${period}`,
    })
    const list = await within(drawer).findByRole('table', { name: /^Requests counted, / })
    for (const cell of within(list).getAllByRole('cell', { name: /^\d{4} Q[1-4]$/ }))
      expect(cell.textContent).toBe(period)
  })
})

describe('the dashboard', () => {
  it('says as of when, and lists later periods without a value with their reason', async () => {
    portal.renderAt('/kpis')
    expect(
      await screen.findByText(/^As of \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d{2}/),
    ).toBeTruthy()
    expect(
      screen.getByRole('link', {
        name: '9. Percentage of public officers with basic digital literacy',
      }),
    ).toBeTruthy()
    // Each reason is said beside its period, in words.
    for (const list of screen.queryAllByRole('list', { name: /periods without a value$/ }))
      for (const item of within(list).getAllByRole('listitem'))
        expect(item.textContent).toMatch(/^\d{4}( Q[1-4])?: \S/)
    // Stewards and administrators may still recompute on demand.
    expect(screen.getByRole('button', { name: 'Recompute now' })).toBeTruthy()
  })
})
