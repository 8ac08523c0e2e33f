import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createMemoryRouter } from 'react-router'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../../../testing/index.js'
import { createApiClient } from '../lib/api-client.js'
import { App } from './app.js'
import { routes } from './routes.js'

// The portal talks to the real server app over fixture data: its fetch is the app's own request,
// with a cookie jar standing in for the browser's.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>
let lineageFile: string
const jar = new Map<string, string>()

async function browserFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers)
  if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '))
  const res = await app.request(String(input), { ...init, headers })
  for (const cookie of res.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';')
    const [name = '', ...value] = pair.split('=')
    if (/Max-Age=0/.test(cookie)) jar.delete(name)
    else jar.set(name, value.join('='))
  }
  return res
}

beforeAll(async () => {
  lineageFile = join(await mkdtemp(join(tmpdir(), 'portal-lineage-')), 'events.jsonl')
  // Lineage also goes to a file, so job runs show where their events were sent.
  runtime = await openTestRuntime({ backend: 'pglite', env: { LINEAGE_FILE: lineageFile } })
  app = createTestApp(runtime)
  await runtime.lineage.emitter.flush()
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  render(<App client={createApiClient('http://portal.test/', browserFetch)} router={router} />)
  return router
}

describe('the portal', () => {
  it('sends a visitor to sign in, then back to where they were going', async () => {
    jar.clear()
    const user = userEvent.setup()
    const router = renderAt('/datasets/person-address-pa')
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

  it('lists the published datasets and opens one', async () => {
    const user = userEvent.setup()
    const router = renderAt('/')
    const link = await screen.findByRole('link', { name: 'Persons by residential planning area' })
    const card = link.closest('li') as HTMLElement
    expect(within(card).getByText('Restricted / Sensitive Normal')).toBeTruthy()
    const res = await app.request('/api/datasets/person-address-pa', {
      headers: await signInAs(app, 'admin'),
    })
    const { rowCount } = ((await res.json()) as { data: { currentVersion: { rowCount: number } } })
      .data.currentVersion
    expect(within(card).getByText(new Intl.NumberFormat('en-SG').format(rowCount))).toBeTruthy()
    await user.click(link)
    expect(router.state.location.pathname).toBe('/datasets/person-address-pa')
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
    const router = renderAt('/')
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
    renderAt('/datasets/no-such-dataset')
    const alert = await screen.findByRole('alert')
    expect(
      within(alert).getByRole('heading', { name: 'This dataset could not be shown' }),
    ).toBeTruthy()
    expect(within(alert).getByText("Dataset 'no-such-dataset' not found")).toBeTruthy()
    expect(within(alert).getByRole('link', { name: 'Back to all datasets' })).toBeTruthy()
  })

  it('creates an API token, shows its secret once, and revokes it', async () => {
    const user = userEvent.setup()
    renderAt('/tokens')
    await user.type(await screen.findByLabelText('Name'), 'notebook')
    await user.click(screen.getByRole('button', { name: 'Create token' }))
    const secret = (await screen.findByText(/^gdp_/)).textContent ?? ''
    expect(
      (await app.request('/api/datasets', { headers: { authorization: `Bearer ${secret}` } }))
        .status,
    ).toBe(200)
    await user.click(await screen.findByRole('button', { name: 'Revoke notebook' }))
    expect(await screen.findByText(/^Revoked /)).toBeTruthy()
    expect(
      (await app.request('/api/datasets', { headers: { authorization: `Bearer ${secret}` } }))
        .status,
    ).toBe(401)
  })

  it('explains glossary terms, links them to the columns that carry them, and filters', async () => {
    const user = userEvent.setup()
    renderAt('/glossary')
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

  it('lets stewards define and redefine glossary terms; officers only read them', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Fglossary')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    expect(await screen.findByRole('heading', { name: 'Business glossary' })).toBeTruthy()
    await screen.findByText('Planning area')
    expect(screen.queryByRole('button', { name: 'New term' })).toBeNull()
    cleanup()

    jar.clear()
    renderAt('/sign-in?returnTo=%2Fglossary')
    await user.click(await screen.findByRole('button', { name: /^steward\.moh/ }))
    await user.click(await screen.findByRole('button', { name: 'New term' }))
    const form = screen.getByRole('form', { name: 'New term' })
    await user.type(within(form).getByLabelText('Term'), 'Vaccination status')
    await user.type(
      within(form).getByLabelText('Definition'),
      'Whether a person has completed the national vaccination schedule.',
    )
    await user.click(within(form).getByRole('button', { name: 'Add term' }))
    expect(await screen.findByText('Vaccination status')).toBeTruthy()

    // The API's refusal is shown in the form, not swallowed.
    await user.click(screen.getByRole('button', { name: 'New term' }))
    const again = screen.getByRole('form', { name: 'New term' })
    await user.type(within(again).getByLabelText('Term'), 'vaccination STATUS')
    await user.type(within(again).getByLabelText('Definition'), 'The same term, other letters.')
    await user.click(within(again).getByRole('button', { name: 'Add term' }))
    expect(await within(again).findByText(/already exists/)).toBeTruthy()
    await user.click(within(again).getByRole('button', { name: 'Cancel' }))

    await user.click(screen.getByRole('button', { name: 'Edit Vaccination status' }))
    const edit = screen.getByRole('form', { name: 'Edit Vaccination status' })
    await user.clear(within(edit).getByLabelText('Definition'))
    await user.type(
      within(edit).getByLabelText('Definition'),
      'Doses received against the national schedule: none, partial or complete.',
    )
    await user.click(within(edit).getByRole('button', { name: 'Save term' }))
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

  it('takes a data request from the dataset page through the steward queue to a grant', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Fdatasets%2Fbusiness-by-planning-area')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    await user.click(await screen.findByRole('button', { name: 'Request access' }))
    const form = await screen.findByRole('form', { name: 'Request access' })
    // Ask for fewer columns than the dataset has.
    const boxes = within(form).getAllByRole('checkbox')
    await user.click(boxes[boxes.length - 1] as HTMLElement)
    await user.type(
      within(form).getByLabelText('Purpose'),
      'Map clinics against business density by planning area',
    )
    await user.type(within(form).getByLabelText('Legal basis'), 'PSGA 2018 s. 25')
    await user.click(within(form).getByRole('button', { name: 'Send request' }))
    expect(await screen.findByRole('heading', { level: 1, name: /^Request for / })).toBeTruthy()
    expect(screen.getByText('Submitted')).toBeTruthy()
    expect(screen.getByText(/^Working day 0 of 7/)).toBeTruthy()
    cleanup()

    jar.clear()
    renderAt('/sign-in?returnTo=%2Frequests')
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
    await user.type(
      within(approve).getByLabelText('is one of (comma-separated)'),
      'BEDOK, TAMPINES',
    )
    await user.click(within(approve).getByRole('button', { name: 'Approve' }))
    expect(await screen.findByRole('heading', { name: 'Access granted' })).toBeTruthy()
    expect(screen.getByText(/rows where planning_area_code is one of BEDOK, TAMPINES/)).toBeTruthy()
    const standing = screen.getByRole('group', { name: 'Where this request stands' })
    expect(within(standing).getByText('Access granted')).toBeTruthy()
    cleanup()

    jar.clear()
    renderAt('/sign-in?returnTo=%2Fnotifications')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    // The newest notice is this approval (older ones, from the seeded history, are read).
    const approvals = await screen.findAllByRole('link', {
      name: 'Your request for Business entities by planning area and industry is approved',
    })
    expect(approvals.length).toBeGreaterThan(0)
    expect(screen.getByRole('link', { name: 'Inbox, 1 unread' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: /^Mark all \d+ read$/ }))
    expect(await screen.findByRole('link', { name: 'Inbox' })).toBeTruthy()
  })

  it('runs SQL in the workbench from a shared link, with views, results, errors and history', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt(
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

    renderAt(`/query?sql=${encodeURIComponent("SELECT * FROM read_csv('/etc/passwd')")}`)
    await user.click(await screen.findByRole('button', { name: 'Run (Ctrl+Enter)' }))
    expect(
      await screen.findByText(/Table functions such as read_csv\(\) cannot be used here/),
    ).toBeTruthy()
  })

  it('previews the sample on the dataset page and offers the downloads the reader may have', async () => {
    renderAt('/datasets/person-address-pa')
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
    renderAt('/datasets/postal-geocode-reference')
    const csv = await screen.findAllByRole('link', { name: 'CSV' })
    expect(csv[0]?.getAttribute('href')).toMatch(
      /^\/api\/datasets\/postal-geocode-reference\/versions\/\d+\/extract\?format=csv$/,
    )
  })

  it("traces a dataset's lineage on its page: graph, a job's runs, where a column comes from", async () => {
    const user = userEvent.setup()
    const router = renderAt('/datasets/person-address-pa')
    // The lineage part loads on its own (React Flow with it): give it time on a busy machine.
    const section = await screen.findByRole('region', { name: 'Lineage' }, { timeout: 5000 })
    const graph = await within(section).findByRole('group', { name: 'Lineage graph' })
    const staged = (feed: string) =>
      within(graph).getByRole('button', { name: `Dataset ${feed} in gov-data-portal.staging` })
    expect(staged('dos_persons')).toBeTruthy()
    await user.click(
      within(graph).getByRole('button', { name: 'Job fuse.person_address_pa in gov-data-portal' }),
    )
    const runs = await within(section).findByRole('table', {
      name: 'Runs of fuse.person_address_pa',
    })
    expect(within(runs).getAllByText('completed').length).toBeGreaterThan(0)
    expect(within(runs).getAllByText(`file:${lineageFile}: sent`).length).toBeGreaterThan(0)
    // Facets open one by one: the job's SQL is there in full.
    const details = within(section).getByRole('region', {
      name: 'Details of fuse.person_address_pa',
    })
    await user.click(within(details).getByText('sql'))
    expect(within(details).getByText(/"dialect": "duckdb"/)).toBeTruthy()
    await user.selectOptions(within(section).getByLabelText('Trace a column'), 'person_key')
    const where = await within(section).findByRole('region', {
      name: 'Where person_key comes from',
    })
    expect(
      within(where).getByText('dos_persons.uinfin: direct transformation (masked)'),
    ).toBeTruthy()
    // What the column flows through stays lit; the rest fades.
    expect(staged('dos_persons').dataset.faded).toBe('false')
    expect(staged('sla_addresses').dataset.faded).toBe('true')
    // The feed's own upstream is beyond two steps: expanding the node brings it in.
    expect(
      within(graph).queryByRole('button', { name: 'Job ingest.dos_persons in gov-data-portal' }),
    ).toBeNull()
    await user.click(staged('dos_persons'))
    await user.click(within(section).getByRole('button', { name: 'Expand upstream' }))
    expect(
      await within(graph).findByRole('button', {
        name: 'Job ingest.dos_persons in gov-data-portal',
      }),
    ).toBeTruthy()
    await user.click(within(section).getByRole('button', { name: 'Explore from here' }))
    expect(router.state.location.pathname).toBe('/lineage')
    expect(await screen.findByRole('heading', { level: 1, name: 'Lineage explorer' })).toBeTruthy()
    expect(await screen.findByRole('group', { name: 'Lineage graph' })).toBeTruthy()
  })

  it('keeps a 61-node fan readable, finds a folded node, and lists lineage-only datasets in search', async () => {
    // Another tool's dataset read by 30 jobs, each writing its own output.
    const hub = { namespace: 's3://wide-bucket', name: 'landing/hub.parquet' }
    const events = Array.from({ length: 30 }, (_, n) => ({
      eventType: 'COMPLETE',
      eventTime: new Date(Date.UTC(2026, 10, 20, 0, n)).toISOString(),
      producer: 'https://github.com/apache/airflow',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: `0193f3a4-8c1e-7d2a-9b1c-${String(n).padStart(12, '0')}` },
      job: { namespace: 'airflow://wide', name: `wide.reader_${String(n).padStart(2, '0')}` },
      inputs: [hub],
      outputs: [{ namespace: 's3://wide-bucket', name: `out/${n}.parquet` }],
    }))
    const admin = { ...(await signInAs(app, 'admin')), 'content-type': 'application/json' }
    // The tool's namespaces belong to the administrator's agency, who sends its events.
    for (const namespace of ['airflow://wide', 's3://wide-bucket'])
      await app.request('/api/v1/lineage/namespaces', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ namespace, agency: 'GOVTECH' }),
      })
    const posted = await app.request('/api/v1/lineage/batch', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(events),
    })
    expect(await posted.json()).toMatchObject({ status: 'success' })
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Flineage')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    await user.type(await screen.findByLabelText('Find a dataset or job'), 'hub.parquet')
    await user.click(screen.getByRole('button', { name: 'Find' }))
    const result = await screen.findByRole('link', { name: 'landing/hub.parquet' })
    expect(within(result.closest('li') as HTMLElement).getByText('lineage only')).toBeTruthy()
    await user.click(result)
    const graph = await screen.findByRole('group', { name: 'Lineage graph' })
    // Five readers in view, the other 25 with their outputs folded into one node.
    expect(within(graph).getAllByRole('button', { name: /^Job wide\.reader_/ })).toHaveLength(5)
    expect(
      within(graph).getByRole('button', {
        name: 'Show 25 jobs and 25 datasets more downstream of landing/hub.parquet',
      }),
    ).toBeTruthy()
    // It fits the view folded: no overview needed yet.
    expect(screen.queryByLabelText('Overview of the whole graph')).toBeNull()
    // Finding a folded node opens its group and selects it.
    await user.type(screen.getByLabelText('Find a node in the graph'), 'reader_27')
    await user.click(screen.getByRole('button', { name: 'Find in the graph' }))
    expect(
      await within(graph).findByRole('button', { name: 'Job wide.reader_27 in airflow://wide' }),
    ).toBeTruthy()
    expect(await screen.findByRole('region', { name: 'Details of wide.reader_27' })).toBeTruthy()
    expect(within(graph).getAllByRole('button', { name: /^Job wide\.reader_/ })).toHaveLength(30)
    // Unfolded it is taller than the view: the overview shows where the view is.
    expect(screen.getByLabelText('Overview of the whole graph')).toBeTruthy()

    // The catalogue search lists it apart, as lineage-only.
    cleanup()
    renderAt('/?q=hub')
    const also = await screen.findByRole('region', { name: 'Also seen in lineage' })
    expect(within(also).getByRole('link', { name: 'landing/hub.parquet' })).toBeTruthy()
  })

  it('shows leaders the 15 KPIs by category, and one KPI with its trend, breakdown and sources', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Fkpis')
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
    expect(within(byAgency).getByRole('rowheader', { name: 'MOE' })).toBeTruthy()
    expect(
      screen.getByText(/^Measured by the platform from its own records: \d+ sharing records\.$/),
    ).toBeTruthy()
    cleanup()

    // An officer sees KPI 8 but not its breakdown of restricted training records; its sources link out.
    jar.clear()
    renderAt('/sign-in?returnTo=%2Fkpis%2F8')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    const withheld = await screen.findByText(/you may not read officer-training-records in full/)
    expect(withheld.closest('[role="note"]')).not.toBeNull()
    expect(
      screen
        .getByRole('link', { name: 'Public officer digital training records' })
        .getAttribute('href'),
    ).toBe('/datasets/officer-training-records')
  })

  it('shows auditors the trail with its verification status', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Faudit')
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

  it("lets the owning agency's steward edit a dataset's metadata on its page", async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Fdatasets%2Fperson-address-pa')
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
    const labelled = await app.request('/api/datasets/person-address-pa', {
      method: 'PATCH',
      headers: { ...(await signInAs(app, 'steward.dos')), 'content-type': 'application/json' },
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
    renderAt('/datasets/person-address-pa')
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

  it('offers no edit mode to an officer', async () => {
    jar.clear()
    const user = userEvent.setup()
    renderAt('/sign-in?returnTo=%2Fdatasets%2Fperson-address-pa')
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

  it('has a page for addresses that lead nowhere', async () => {
    renderAt('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy()
  })
})
