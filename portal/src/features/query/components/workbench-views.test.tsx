import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeAll, describe, expect, it } from 'vitest'
import { signInAs } from '../../../../../testing/index.js'
import { openPortal } from '../../../portal-test-kit.js'
import { PLANNING_AREA_TILES } from './planning-area-tiles.js'

// The workbench over the real API, as an officer granted four columns of the persons, for the
// Central and East regions only.
const portal = openPortal({ signedInAs: 'officer.moh' })
const GRANTED = 'person_address_pa'

async function post(user: string, path: string, body: unknown) {
  const res = await portal.app.request(path, {
    method: 'POST',
    headers: { ...(await signInAs(portal.app, user)), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status, await res.clone().text()).toBeLessThan(300)
  return ((await res.json()) as { data: { id: string } }).data
}

beforeAll(async () => {
  const request = await post('officer.moh', '/api/requests', {
    dataset: 'person-address-pa',
    columns: ['person_key', 'sex', 'planning_area_code', 'region_code'],
    purpose: 'Plan polyclinic capacity in the Central and East regions',
    legalBasis: 'PSGA 2018 s. 25',
    durationDays: 30,
  })
  await post('steward.dos', `/api/requests/${request.id}/approve`, {
    rowFilter: [{ column: 'region_code', op: 'in', values: ['CR', 'ER'] }],
  })
})

const query = (sql: string) => `/query?sql=${encodeURIComponent(sql)}`
/** The views once loaded: their search box is there. */
async function viewsRegion() {
  const region = await screen.findByRole('region', { name: 'Your views' })
  await within(region).findByRole('searchbox', { name: /Search your views/ }, { timeout: 10_000 })
  return region
}
const status = () => within(screen.getByRole('region', { name: 'Results' })).getByRole('status')

async function run(sql: string) {
  portal.renderAt(query(sql))
  await userEvent.setup().click(await screen.findByRole('button', { name: 'Run (Ctrl+Enter)' }))
  await screen.findByRole('region', { name: 'Results' }, { timeout: 20_000 })
}

describe('the workbench’s views', () => {
  it('lists the granted view first with its terms in words, then samples, open data, aggregates', async () => {
    portal.renderAt('/query')
    const views = await viewsRegion()
    const groups = within(views)
      .getAllByRole('heading', { level: 3 })
      .map((h) => h.textContent)
    expect(groups[0]).toBe('Granted to you (full access) (1 view)')
    expect(groups[1]).toMatch(/^Samples \(\d+ views\)$/)
    expect(groups[2]).toMatch(/^Official \(Open\) data \(\d+ views?\)$/)
    const order = [
      'Granted to you (full access)',
      'Samples',
      'Official (Open) data',
      'Aggregates only',
    ]
    const titles = groups.map((g) => g?.replace(/ \(\d+ views?\)$/, '') ?? '')
    expect(titles).toEqual(order.filter((o) => titles.includes(o)))

    const terms = within(views).getByRole('group', { name: `Terms of your grant for ${GRANTED}` })
    const lines = within(terms)
      .getAllByRole('listitem')
      .map((li) => li.textContent)
    expect(lines.slice(0, 3)).toEqual([
      'Columns: person_key, sex, planning_area_code, region_code',
      'Rows where region_code is CR or ER',
      'Identifiers masked',
    ])
    expect(lines[3]).toMatch(/^Until \d{1,2} [A-Z][a-z]{2} \d{4}$/)
  })

  it('finds views by name, dataset title or agency, and says when none matches', async () => {
    const user = userEvent.setup()
    portal.renderAt('/query')
    const views = await viewsRegion()
    const total = within(views).getByRole('status').textContent ?? ''
    expect(total).toMatch(/^\d+ views$/)
    const search = within(views).getByRole('searchbox', { name: /Search your views/ })

    await user.type(search, 'geocode')
    expect(within(views).getByRole('button', { name: 'postal_geocode_reference' })).toBeTruthy()
    expect(within(views).queryByRole('button', { name: GRANTED })).toBeNull()
    expect(within(views).getByRole('status').textContent).toMatch(
      new RegExp(`^\\d+ of ${total} match$`),
    )

    await user.clear(search)
    const agency = within(views)
      .getByRole('article', { name: `View ${GRANTED}` })
      .querySelector('p')
      ?.textContent?.split(' · ')[1]
    await user.type(search, agency ?? '')
    expect(within(views).getByRole('button', { name: GRANTED })).toBeTruthy()

    await user.clear(search)
    await user.type(search, 'zzzz')
    expect(
      within(views).getByText('No view matches “zzzz”. Try a dataset’s title or agency.'),
    ).toBeTruthy()
  })
})

describe('answers across the page', () => {
  it('pages through a long answer, saying which rows show and how long it took', async () => {
    const user = userEvent.setup()
    await run('SELECT 1 AS n FROM postal_geocode_reference a, postal_geocode_reference b LIMIT 250')
    expect(status().textContent).toMatch(/^Showing 1–100 of 250 rows · Ran in (under )?\d+\.\d s$/)
    const table = screen.getByRole('table', { name: 'Query results' })
    expect(within(table).getAllByRole('row')).toHaveLength(101)
    await user.click(screen.getByRole('button', { name: 'Next 100 rows' }))
    await user.click(screen.getByRole('button', { name: 'Next 100 rows' }))
    expect(status().textContent).toMatch(/^Showing 201–250 of 250 rows · /)
    expect(within(table).getAllByRole('row')).toHaveLength(51)
    expect(screen.getByText('Page 3 of 3')).toBeTruthy()
    expect(
      (screen.getByRole('button', { name: 'Next 100 rows' }) as HTMLButtonElement).disabled,
    ).toBe(true)
  })

  it('keeps queries sent as previews apart from the queries the person ran', async () => {
    await post('officer.moh', '/api/query', {
      sql: 'SELECT * FROM postal_geocode_reference LIMIT 3',
      format: 'json',
      purpose: 'preview',
    })
    await run('SELECT 42 AS answer')
    const history = await screen.findByRole('region', { name: 'History' })
    const mine = await within(history).findByRole('list', { name: 'Your recent queries' })
    await waitFor(() => expect(within(mine).getByText('SELECT 42 AS answer')).toBeTruthy())
    expect(within(mine).queryByText('SELECT * FROM postal_geocode_reference LIMIT 3')).toBeNull()
    const previews = await within(history).findByRole('list', { name: 'Sample previews' })
    expect(
      within(previews).getByText('SELECT * FROM postal_geocode_reference LIMIT 3'),
    ).toBeTruthy()
  })
})

describe('a quick chart of an answer', () => {
  it('offers a map of planning areas, bars and a line, each titled with its values as a table', async () => {
    const user = userEvent.setup()
    await run(
      'SELECT planning_area_code, count(*) AS addresses FROM postal_geocode_reference GROUP BY 1 ORDER BY 1',
    )
    await user.click(screen.getByRole('tab', { name: 'Chart' }))
    const choice = screen.getByRole('radiogroup', { name: 'Chart' })
    expect(
      within(choice)
        .getAllByRole('radio')
        .map((r) => r.getAttribute('value')),
    ).toEqual(['bar', 'line', 'map'])
    expect(
      (within(choice).getByRole('radio', { name: 'Map of planning areas' }) as HTMLInputElement)
        .checked,
    )
    expect(screen.getByRole('heading', { name: 'addresses by planning area' })).toBeTruthy()
    expect(
      screen.getByRole('img', {
        name: /^addresses by planning area: a tile map of planning areas by region, \d+ of 55 with a value/,
      }),
    ).toBeTruthy()
    const values = screen.getByRole('table', {
      name: 'Values of the map: addresses by planning area',
    })
    expect(within(values).getAllByRole('row').length).toBeGreaterThan(1)
    expect(within(screen.getByRole('list', { name: 'Legend' })).getByText('No value')).toBeTruthy()

    await user.click(within(choice).getByRole('radio', { name: 'Bar chart' }))
    expect(screen.getByRole('heading', { name: 'addresses by planning_area_code' })).toBeTruthy()
    expect(screen.getByLabelText('Along the bottom (x)')).toBeTruthy()
    expect(
      screen.getByRole('table', { name: 'Values of the chart: addresses by planning_area_code' }),
    ).toBeTruthy()
  })

  it('says there is nothing to draw without a column of numbers', async () => {
    const user = userEvent.setup()
    await run('SELECT DISTINCT region_code FROM postal_geocode_reference')
    await user.click(screen.getByRole('tab', { name: 'Chart' }))
    expect(screen.getByText('No chart: the answer has no column of numbers to draw.')).toBeTruthy()
  })

  it('draws every planning area the platform knows in the region it lies in', async () => {
    const res = await portal.app.request('/api/query', {
      method: 'POST',
      headers: {
        ...(await signInAs(portal.app, 'officer.moh')),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        sql: 'SELECT DISTINCT planning_area_code, planning_area_name, region_code FROM postal_geocode_reference WHERE planning_area_code IS NOT NULL',
        format: 'json',
      }),
    })
    const { rows } = ((await res.json()) as { data: { rows: string[][] } }).data
    const tiles = new Map(PLANNING_AREA_TILES.map((t) => [t.code, [t.code, t.name, t.region]]))
    expect(rows.length).toBeGreaterThan(10)
    for (const row of rows) expect(tiles.get(row[0] as string)).toEqual(row)
  })
})
