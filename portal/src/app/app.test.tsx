import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { fillIn, openPortal } from '../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moh' })

describe('the portal', () => {
  it('sends a visitor to sign in, then back to where they were going', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    const router = portal.renderAt('/datasets/person-address-pa')
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy()
    expect(router.state.location.search).toBe('?returnTo=%2Fdatasets%2Fperson-address-pa')
    expect(await screen.findByText(/For development and demonstrations only/)).toBeTruthy()
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Persons by residential planning area',
      }),
    ).toBeTruthy()
    const banner = screen.getByRole('banner')
    expect(
      within(banner).getByRole('button', { name: /^Account: ?Nur Aisyah \(MOH officer\)/ }),
    ).toBeTruthy()
    expect(within(banner).getByText('MOH · officer')).toBeTruthy()
    const nav = screen.getByRole('navigation', { name: 'Main' })
    expect(within(nav).getByRole('link', { name: 'Data requests' })).toBeTruthy()
    expect(within(nav).queryByRole('link', { name: 'Audit trail' })).toBeNull()
  })

  it('has a page for addresses that lead nowhere', async () => {
    portal.renderAt('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy()
  })

  it('creates an API token, shows its secret once, and revokes it', async () => {
    const user = userEvent.setup()
    portal.renderAt('/tokens')
    await user.type(await screen.findByLabelText('Name'), 'notebook')
    await user.click(screen.getByRole('button', { name: 'Create token' }))
    const secret = (await screen.findByText(/^gdp_/)).textContent ?? ''
    expect(
      (
        await portal.app.request('/api/datasets', {
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(200)
    await user.click(await screen.findByRole('button', { name: 'Revoke notebook' }))
    expect(await screen.findByText(/^Revoked /)).toBeTruthy()
    expect(
      (
        await portal.app.request('/api/datasets', {
          headers: { authorization: `Bearer ${secret}` },
        })
      ).status,
    ).toBe(401)
  })

  it('runs SQL in the workbench from a shared link, with views, results, errors and history', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt(
      `/sign-in?returnTo=${encodeURIComponent('/query?sql=SELECT count(*) AS n FROM postal_geocode_reference')}`,
    )
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    expect(await screen.findByRole('heading', { level: 1, name: 'Query workbench' })).toBeTruthy()
    expect(
      await screen.findByRole('list', { name: 'Columns of postal_geocode_reference' }),
    ).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Run (Ctrl+Enter)' }))
    // The first query of the run may wait for its worker process to start on a busy machine.
    expect(await screen.findByText('1 row', {}, { timeout: 10_000 })).toBeTruthy()
    expect(screen.getByRole('columnheader', { name: /^n / })).toBeTruthy()
    expect((await screen.findAllByText(/· succeeded/)).length).toBeGreaterThan(0)
    cleanup()

    portal.renderAt(`/query?sql=${encodeURIComponent("SELECT * FROM read_csv('/etc/passwd')")}`)
    await user.click(await screen.findByRole('button', { name: 'Run (Ctrl+Enter)' }))
    expect(
      await screen.findByText(/Table functions such as read_csv\(\) cannot be used here/),
    ).toBeTruthy()
  })

  it('shows auditors the trail with its verification status', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Faudit')
    await user.click(await screen.findByRole('button', { name: /^auditor/ }))
    expect(
      await screen.findByText(
        /^Chain verified: \d+ entries intact, matching the checkpoint of .+ \(\d+ entries\)\.$/,
      ),
    ).toBeTruthy()
    const table = screen.getByRole('table', { name: 'Newest first' })
    expect(within(table).getAllByText('auth.sign-in').length).toBeGreaterThan(0)
    expect(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', {
        name: 'Audit trail',
      }),
    ).toBeTruthy()
  })
})

describe('the portal across roles', () => {
  it('takes a data request from the dataset page through the steward queue to a grant', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fdatasets%2Fbusiness-by-planning-area')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    await user.click(await screen.findByRole('button', { name: 'Request access' }))
    const form = await screen.findByRole('form', { name: 'Request access' })
    // Ask for fewer columns than the dataset has.
    const boxes = within(form).getAllByRole('checkbox')
    await user.click(boxes[boxes.length - 1] as HTMLElement)
    await fillIn(
      user,
      within(form).getByLabelText('Purpose'),
      'Map clinics against business density by planning area',
    )
    await fillIn(user, within(form).getByLabelText('Legal basis'), 'PSGA 2018 s. 25')
    await user.click(within(form).getByRole('button', { name: 'Send request' }))
    expect(await screen.findByRole('heading', { level: 1, name: /^Request for / })).toBeTruthy()
    expect(screen.getByText('Submitted')).toBeTruthy()
    expect(screen.getByText(/^Working day 0 of 7/)).toBeTruthy()
    cleanup()

    portal.clearCookies()
    portal.renderAt('/sign-in?returnTo=%2Frequests')
    await user.click(await screen.findByRole('button', { name: /^steward\.dos/ }))
    const queue = await screen.findByRole('table', { name: 'Waiting for your agency' })
    await user.click(within(queue).getAllByRole('link')[0] as HTMLElement)
    await user.click(await screen.findByRole('button', { name: 'Approve…' }))
    const dialog = await screen.findByRole('dialog', { name: 'Approve this request' })
    const approve = within(dialog).getByRole('form', { name: 'Approve' })
    await user.selectOptions(
      within(approve).getByLabelText('Only rows whose'),
      'planning_area_code',
    )
    await fillIn(
      user,
      within(approve).getByLabelText('is one of (comma-separated)'),
      'BEDOK, TAMPINES',
    )
    await user.click(within(approve).getByRole('button', { name: 'Approve' }))
    expect(await screen.findByRole('heading', { name: 'Access granted' })).toBeTruthy()
    expect(screen.getByText('Rows where planning_area_code is BEDOK or TAMPINES')).toBeTruthy()
    const standing = screen.getByRole('group', { name: 'Where this request stands' })
    expect(within(standing).getByText('Access granted')).toBeTruthy()
    cleanup()

    portal.clearCookies()
    portal.renderAt('/sign-in?returnTo=%2Fnotifications')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    // The newest notices are this approval and the receipt of the request (older ones, from the
    // seeded history, are read).
    const approvals = await screen.findAllByRole('link', {
      name: 'Your request for Business entities by planning area and industry is approved',
    })
    expect(approvals.length).toBeGreaterThan(0)
    expect(
      screen.getAllByRole('link', {
        name: 'Your request for Business entities by planning area and industry is with the stewards',
      }).length,
    ).toBeGreaterThan(0)
    expect(screen.getByRole('link', { name: 'Inbox, 2 unread' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: /^Mark all \d+ read$/ }))
    expect(await screen.findByRole('link', { name: 'Inbox' })).toBeTruthy()
  })

  it('shows leaders the 15 KPIs by category, and one KPI with its trend, breakdown and sources', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fkpis')
    await user.click(await screen.findByRole('button', { name: /^leader\.mddi/ }))
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs' }),
    ).toBeTruthy()
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Stakeholder satisfaction',
      'End-to-end digital options',
      'End-to-end digital transactions',
      'Digital capabilities',
      'Transformative digital projects',
      'AI, data and data analytics',
      'Commercial cloud migration',
    ])
    const cards = screen.getAllByRole('link', { name: /^\d+\. / })
    expect(cards.map((c) => c.textContent?.split('.')[0])).toEqual(
      Array.from({ length: 15 }, (_, i) => String(i + 1)),
    )
    // Every card says its status in words, not only in colour.
    for (const card of cards)
      expect(
        within(card.closest('li') as HTMLElement).getByText(/^(met|on track|at risk|missed)$/),
      ).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(
      '/api/kpis?format=csv',
    )
    // Leaders read; they do not recompute.
    expect(screen.queryByRole('button', { name: 'Recompute now' })).toBeNull()

    await user.click(screen.getByRole('link', { name: /^14\. Time required to share data/ }))
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'KPI 14: Time required to share data for cross-agency projects',
      }),
    ).toBeTruthy()
    // Time to share is tracked by quarter.
    expect(screen.getByRole('img', { name: 'KPI 14 by quarter against its target' })).toBeTruthy()
    const years = screen.getByRole('table', { name: 'Values by quarter' })
    expect(within(years).getAllByRole('rowheader')[0]?.textContent).toMatch(/^\d{4} Q[1-4]$/)
    expect(within(years).getAllByRole('row').length).toBeGreaterThan(2)
    expect(screen.getByRole('table', { name: /^By Ministry family, \d{4} Q[1-4]$/ })).toBeTruthy()
    const byAgency = screen.getByRole('table', { name: /^By agency, \d{4} Q[1-4]$/ })
    // Which agencies depends on the latest quarter, which earlier tests' approvals may have made.
    const agencies = within(byAgency).getAllByRole('rowheader')
    expect(agencies.length).toBeGreaterThan(0)
    for (const agency of agencies) expect(agency.textContent).toMatch(/^[A-Z]{2,8}$/)
    // What it read opens the requests it counts.
    expect(screen.getByRole('button', { name: /^\d+ sharing records$/ })).toBeTruthy()
    cleanup()

    // An officer sees KPI 8 but not its breakdown of restricted training records; its sources link out.
    portal.clearCookies()
    portal.renderAt('/sign-in?returnTo=%2Fkpis%2F8')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    const withheld = await screen.findByText(/you may not read officer-training-records in full/)
    expect(withheld.closest('[role="note"]')).not.toBeNull()
    expect(
      screen
        .getByRole('link', { name: 'Public officer digital training records' })
        .getAttribute('href'),
    ).toBe('/datasets/officer-training-records')
  })
})
