import { cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../testing/index.js'
import { openPortal } from '../../portal-test-kit.js'

const portal = openPortal({ signedInAs: 'officer.moh' })

describe('the catalogue and its dataset pages', () => {
  it('lists the published datasets and opens one', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/')
    const link = await screen.findByRole('link', { name: 'Persons by residential planning area' })
    const card = link.closest('li') as HTMLElement
    expect(within(card).getByText('Restricted / Sensitive Normal')).toBeTruthy()
    const res = await portal.app.request('/api/datasets/person-address-pa', {
      headers: await signInAs(portal.app, 'admin'),
    })
    const { rowCount } = ((await res.json()) as { data: { currentVersion: { rowCount: number } } })
      .data.currentVersion
    expect(within(card).getByText(new Intl.NumberFormat('en-SG').format(rowCount))).toBeTruthy()
    await user.click(link)
    // The dataset page loads on its first visit (route-level code splitting): the navigation is
    // through once it has, which in this file's first test is a moment after the click.
    await waitFor(() => expect(router.state.location.pathname).toBe('/datasets/person-address-pa'))
    const schema = await screen.findByRole('table', { name: '16 columns of the current version' })
    const keyRow = within(schema)
      .getByRole('rowheader', { name: 'person_key' })
      .closest('tr') as HTMLElement
    expect(within(keyRow).getByText('Direct identifier')).toBeTruthy()
    expect(
      screen.getByRole('table', { name: 'Every published version; each is immutable' }),
    ).toBeTruthy()
  })

  it('searches by words with typos, narrows by a facet, and keeps the search in the URL', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/')
    await user.type(await screen.findByLabelText('Search datasets'), 'geocde')
    await user.click(screen.getByRole('button', { name: 'Search' }))
    // The typo finds what the word it stands for finds, best match first.
    expect(await screen.findByText('3 datasets for "geocde"')).toBeTruthy()
    const best = screen.getByRole('link', { name: 'Postal code geocode reference' }).closest('li')
    expect(best?.parentElement?.firstElementChild).toBe(best)
    expect(within(best as HTMLElement).getByText(/^Matched on /).textContent).toMatch(
      /^Matched on title, .*a similar word$/,
    )
    expect(router.state.location.search).toBe('?q=geocde')

    await user.clear(screen.getByLabelText('Search datasets'))
    await user.click(screen.getByRole('button', { name: 'Search' }))
    const environment = await screen.findByRole('checkbox', { name: /^Environment/ })
    await user.click(environment)
    expect(await screen.findByText('1 dataset')).toBeTruthy()
    expect(
      screen.getByRole('link', { name: 'Hourly weather readings by planning area' }),
    ).toBeTruthy()
    expect(router.state.location.search).toBe('?theme=Environment')
  })

  it('says why a dataset cannot be shown and offers a way back', async () => {
    portal.renderAt('/datasets/no-such-dataset')
    const alert = await screen.findByRole('alert')
    expect(
      within(alert).getByRole('heading', { name: 'This dataset could not be shown' }),
    ).toBeTruthy()
    expect(within(alert).getByText("Dataset 'no-such-dataset' not found")).toBeTruthy()
    expect(within(alert).getByRole('link', { name: 'Back to all datasets' })).toBeTruthy()
  })

  it('offers no edit mode to an officer', async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fdatasets%2Fperson-address-pa')
    await user.click(await screen.findByRole('button', { name: /^officer\.moe/ }))
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Persons by residential planning area',
      }),
    ).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Edit metadata' })).toBeNull()
    expect(screen.queryByRole('region', { name: 'Suggested labels' })).toBeNull()
  })
})

describe('a dataset page: its sample and its metadata', () => {
  it('previews the sample on the dataset page and offers the downloads the reader may have', async () => {
    portal.renderAt('/datasets/person-address-pa')
    expect(
      await screen.findByRole('table', { name: /^First \d+ rows of the sample$/ }),
    ).toBeTruthy()
    expect(screen.getByText('De-identified sample:')).toBeTruthy()
    expect(screen.queryByText('Full data (your grant):')).toBeNull()
    const downloads = screen.getByRole('group', { name: /^De-identified sample/ })
    expect(
      within(downloads)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual([
      'CSV',
      'Parquet',
      'Arrow',
      'NDJSON',
      'Sample with its report (zip)',
      'Open in the workbench',
    ])
    expect(
      within(downloads)
        .getByRole('link', { name: 'Sample with its report (zip)' })
        .getAttribute('href'),
    ).toMatch(/^\/api\/datasets\/person-address-pa\/versions\/\d+\/sample\?format=zip$/)
    // The sample explains itself beside its rows: why a value reads * or is coarser.
    const report = screen.getByRole('region', { name: 'How this sample was de-identified' })
    expect(within(report).getByText('k reached')).toBeTruthy()
    const shown = within(report).getByRole('table', {
      name: 'How each column is shown in the sample',
    })
    const row = (column: string) =>
      within(shown).getByRole('rowheader', { name: column }).closest('tr') as HTMLElement
    expect(
      within(row('person_key')).getByText('masked: a pseudonym that holds within this sample only'),
    ).toBeTruthy()
    cleanup()
    portal.renderAt('/datasets/postal-geocode-reference')
    const csv = await screen.findAllByRole('link', { name: 'CSV' })
    expect(csv[0]?.getAttribute('href')).toMatch(
      /^\/api\/datasets\/postal-geocode-reference\/versions\/\d+\/extract\?format=csv$/,
    )
  })

  it("lets the owning agency's steward edit a dataset's metadata on its page", async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fdatasets%2Fperson-address-pa')
    await user.click(await screen.findByRole('button', { name: /^steward\.dos/ }))
    // What the sample's data suggests of the labels is for the owning agency's stewards.
    const suggested = await screen.findByRole('region', { name: 'Suggested labels' })
    expect(
      within(suggested).getByRole('button', { name: 'Accept Quasi-identifier for region_code' }),
    ).toBeTruthy()
    await user.click(await screen.findByRole('button', { name: 'Edit metadata' }))
    const form = screen.getByRole('form', { name: 'Edit metadata' })
    const description = within(form).getByLabelText('Description')
    await user.clear(description)
    await user.type(description, 'Persons placed in planning areas, for service planning.')
    await user.clear(within(form).getByLabelText('Description of sex'))
    await user.type(within(form).getByLabelText('Description of sex'), 'Sex as registered')
    const terms = within(form).getByLabelText('Glossary terms of residential_status')
    await user.clear(terms)
    await user.type(terms, 'Resident')
    const licence = within(form).getByLabelText('Licence / terms of use')
    await user.clear(licence)
    await user.type(licence, 'Government internal use only')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    expect(
      await screen.findByText('Persons placed in planning areas, for service planning.'),
    ).toBeTruthy()
    // The schema table refreshes on its own: waited for, not assumed (a busy machine is slower).
    expect(await screen.findByRole('cell', { name: 'Sex as registered' })).toBeTruthy()
    expect(
      within(
        within(screen.getByRole('table', { name: /columns of the current version$/ })).getByRole(
          'row',
          { name: /residential_status/ },
        ),
      ).getByText('Resident'),
    ).toBeTruthy()
    expect(screen.getByText('Government internal use only')).toBeTruthy()
    // A label a steward gave with a reason is shown with it.
    const labelled = await portal.app.request('/api/datasets/person-address-pa', {
      method: 'PATCH',
      headers: {
        ...(await signInAs(portal.app, 'steward.dos')),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        columns: [
          {
            name: 'sex',
            personalData: { kind: 'quasi-identifier', reason: 'Sex narrows down who a row is' },
          },
        ],
      }),
    })
    expect(labelled.status).toBe(200)
    cleanup()
    portal.renderAt('/datasets/person-address-pa')
    const schema = await screen.findByRole('table', { name: /columns of the current version$/ })
    expect(
      within(within(schema).getByRole('row', { name: /^sex/ })).getByText(
        'labelled by a steward: Sex narrows down who a row is',
      ),
    ).toBeTruthy()
    expect(
      within(
        within(screen.getByRole('table', { name: /columns of the current version$/ })).getByRole(
          'row',
          { name: /planning_area_code/ },
        ),
      ).getByText('Planning area'),
    ).toBeTruthy()
  })
})
