import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { act, cleanup, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../testing/index.js'
import { fillIn, openPortal } from '../../portal-test-kit.js'

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
    // The overview opens first; the schema is a tab away, at an address of its own.
    expect(
      (await screen.findByRole('tab', { name: 'Overview' })).getAttribute('aria-selected'),
    ).toBe('true')
    await user.click(screen.getByRole('tab', { name: 'Schema' }))
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa/schema')
    const schema = await screen.findByRole('table', { name: '16 columns of the current version' })
    const keyRow = within(schema)
      .getByRole('rowheader', { name: 'person_key' })
      .closest('tr') as HTMLElement
    expect(within(keyRow).getByText('Direct identifier')).toBeTruthy()
    await user.click(screen.getByRole('tab', { name: 'History' }))
    expect(
      await screen.findByRole('table', { name: 'Every published version; each is immutable' }),
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
  it('previews the sample on the Sample tab and offers the downloads the reader may have', async () => {
    portal.renderAt('/datasets/person-address-pa/sample')
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
    portal.renderAt('/datasets/postal-geocode-reference/sample')
    const csv = await screen.findAllByRole('link', { name: 'CSV' })
    expect(csv[0]?.getAttribute('href')).toMatch(
      /^\/api\/datasets\/postal-geocode-reference\/versions\/\d+\/extract\?format=csv$/,
    )
  })

  it("lets the owning agency's steward edit a dataset's metadata on its page", async () => {
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Fdatasets%2Fperson-address-pa%2Fschema')
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
    await fillIn(user, description, 'Persons placed in planning areas, for service planning.')
    await user.clear(within(form).getByLabelText('Description of sex'))
    await fillIn(user, within(form).getByLabelText('Description of sex'), 'Sex as registered')
    const terms = within(form).getByLabelText('Glossary terms of residential_status')
    await user.clear(terms)
    await user.type(terms, 'Resident')
    const licence = within(form).getByLabelText('Licence / terms of use')
    await user.clear(licence)
    await fillIn(user, licence, 'Government internal use only')
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
    await user.click(screen.getByRole('tab', { name: 'Overview' }))
    expect(await screen.findByText('Government internal use only')).toBeTruthy()
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
    portal.renderAt('/datasets/person-address-pa/schema')
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
    // Who holds access is for the owning agency's stewards, on the Access tab.
    await user.click(screen.getByRole('tab', { name: 'Access' }))
    expect(
      await screen.findByRole('heading', { level: 2, name: 'Who holds access' }, { timeout: 5000 }),
    ).toBeTruthy()
  })
})

describe('a dataset page in tabs', () => {
  const selected = () =>
    screen.getAllByRole('tab').find((tab) => tab.getAttribute('aria-selected') === 'true')
      ?.textContent

  it('opens each tab at its own address, mounts only the open one, and moves by arrows and back', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/datasets/person-address-pa/schema')
    await screen.findByRole('table', { name: '16 columns of the current version' })
    expect(selected()).toBe('Schema')
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual([
      'Overview',
      'Schema',
      'Sample',
      'Quality',
      'Lineage',
      'Access',
      'History',
    ])
    // The heading and description stay above whichever tab is open.
    expect(
      screen.getByRole('heading', { level: 1, name: 'Persons by residential planning area' }),
    ).toBeTruthy()
    // Nothing of the other tabs is there: no facts, no sample preview, no versions.
    expect(screen.queryByRole('heading', { name: 'About this dataset' })).toBeNull()
    expect(screen.queryByRole('heading', { name: 'Data' })).toBeNull()
    expect(screen.queryByRole('table', { name: /^Every published version/ })).toBeNull()

    // Arrow keys move between tabs (WAI-ARIA tabs), and the address follows.
    screen.getByRole('tab', { name: 'Schema' }).focus()
    await user.keyboard('{ArrowLeft}')
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa')
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Overview' }))
    expect(await screen.findByRole('heading', { name: 'About this dataset' })).toBeTruthy()
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}')
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa/quality')
    expect(await screen.findByRole('heading', { name: 'Quality checks' })).toBeTruthy()
    // The back button returns to the tab before.
    await act(() => router.navigate(-1))
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa/sample')
    expect(selected()).toBe('Sample')
    expect(await screen.findByRole('heading', { name: 'Data' })).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'Quality checks' })).toBeNull()
  })

  it('names the owning agency and its stewards, who answer when the dataset names no contact', async () => {
    portal.renderAt('/datasets/person-address-pa')
    const fact = async (label: string) =>
      ((await screen.findByText(label, { selector: 'dt' })).nextElementSibling as HTMLElement)
        .textContent
    expect(await fact('Owning agency')).toBe('Department of Statistics (DOS)')
    const stewards = screen.getByRole('list', { name: 'Data stewards' })
    expect(within(stewards).getByText(/^Lim Hui Min \(DOS data steward\)/)).toBeTruthy()
    expect(
      within(stewards)
        .getByRole('link', { name: 'steward.dos@example.gov.sg' })
        .getAttribute('href'),
    ).toBe('mailto:steward.dos@example.gov.sg')
    expect(await fact('Contact')).toBe("The agency's data stewards: steward.dos@example.gov.sg")
    expect(await fact('Freshness')).toMatch(
      /^Up to date: version 1 was published (less than an hour|\d+ hours?) ago; the dataset is updated daily\.$/,
    )
    // What the reader holds or may ask for is on the overview, as on the Access tab.
    expect(screen.getByRole('button', { name: 'Request access' })).toBeTruthy()
  })

  it('says a tab that does not exist is not there, with a way to the overview', async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/datasets/person-address-pa/columns')
    const alert = await screen.findByRole('alert')
    expect(
      within(alert).getByRole('heading', { name: 'This dataset has no “columns” page' }),
    ).toBeTruthy()
    expect(selected()).toBeUndefined()
    await user.click(within(alert).getByRole('link', { name: 'Go to the overview' }))
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa')
    expect(await screen.findByRole('heading', { name: 'About this dataset' })).toBeTruthy()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('lists the metadata changes with who and when on the History tab', async () => {
    const edited = await portal.app.request('/api/datasets/person-address-pa', {
      method: 'PATCH',
      headers: {
        ...(await signInAs(portal.app, 'steward.dos')),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        tags: ['population', 'planning areas'],
        columns: [{ name: 'age_band', description: 'Age band, five years wide' }],
      }),
    })
    expect(edited.status).toBe(200)
    portal.renderAt('/datasets/person-address-pa/history')
    const list = await screen.findByRole('list', { name: 'Metadata changes' })
    const items = within(list).getAllByRole('listitem')
    // One edit, two changes, each with who made it and when.
    const said = items.slice(0, 2).map((item) => item.textContent ?? '')
    for (const line of said) expect(line).toMatch(/^\d{1,2} \w{3} \d{4}, .+, by steward\.dos/)
    expect(said.map((line) => line.replace(/^.*, by steward\.dos/, '')).sort()).toEqual([
      expect.stringMatching(
        /^Changed the description of column age_band from “.+” to “Age band, five years wide”$/,
      ),
      expect.stringMatching(/^Changed the tags from .+ to “population”, “planning areas”$/),
    ])
    // Restricted data: an officer without a grant downloads the sample of the version it was
    // made of, never the full data.
    const versions = screen.getByRole('table', {
      name: 'Every published version; each is immutable',
    })
    expect(
      (
        await within(versions).findByRole('link', { name: 'CSV of v1, de-identified sample' })
      ).getAttribute('href'),
    ).toBe('/api/datasets/person-address-pa/versions/1/sample?format=csv')
    expect(within(versions).queryByRole('link', { name: /full data$/ })).toBeNull()
  })

  it('shows every quality check across versions, and per-version downloads of open data', async () => {
    // A second delivery of SLA's addresses, one point fewer, makes a second version.
    const runtime = portal.runtime
    const delivered = await readFile(
      join(runtime.dataDir, 'feeds', 'inbox', 'sla_addresses.csv'),
      'utf8',
    )
    const file = join(runtime.dataDir, 'sla_addresses-again.csv')
    await writeFile(file, `${delivered.trimEnd().split('\n').slice(0, -1).join('\n')}\n`)
    expect((await runtime.trustedCentre.ingest('sla_addresses', file)).outcome).toBe('ingested')
    const [fused] = await runtime.trustedCentre.fuse('postal_geocode_reference')
    expect(fused?.publication).toMatchObject({ version: 2, created: true })

    const user = userEvent.setup()
    portal.renderAt('/datasets/postal-geocode-reference/quality')
    const matrix = await screen.findByRole('table', {
      name: '4 quality checks across 2 versions, newest first',
    })
    expect(
      within(matrix)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Check', 'If it fails', 'v2', 'v1'])
    const row = (check: string) =>
      within(matrix).getByRole('rowheader', { name: check }).closest('tr') as HTMLElement
    expect(
      within(row('unique(postal_code)'))
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual([
      'Blocks publication',
      'Passedobserved 0 violating rows; expected 0 violating rows',
      'Passedobserved 0 violating rows; expected 0 violating rows',
    ])
    expect(within(row('coverage(geocoded)')).getByText('Published with a warning')).toBeTruthy()
    expect(
      screen.getByText(
        /^Up to date: version 2 was published less than an hour ago; the dataset is updated weekly\.$/,
      ),
    ).toBeTruthy()

    await user.click(screen.getByRole('tab', { name: 'History' }))
    const versions = await screen.findByRole('table', {
      name: 'Every published version; each is immutable',
    })
    const csv = await within(versions).findByRole('link', { name: 'CSV of v1, full data' })
    expect(csv.getAttribute('href')).toBe(
      '/api/datasets/postal-geocode-reference/versions/1/extract?format=csv',
    )
    expect(
      within(versions).getByRole('link', { name: 'Parquet of v2, full data' }).getAttribute('href'),
    ).toBe('/api/datasets/postal-geocode-reference/versions/2/extract?format=parquet')
  })
})
