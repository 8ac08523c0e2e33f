import { cleanup, render, screen, within } from '@testing-library/react'
import { createMemoryRouter } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { useTestPlatform } from '../../../../../testing/index.js'
import { App } from '../../../app/app.js'
import { createApiClient } from '../../../lib/api-client.js'
import { ColumnProfiles } from './column-profiles.js'
import { SchemaDiff } from './schema-diff.js'

// biome-ignore lint/correctness/useHookAtTopLevel: a Vitest setup (beforeAll/afterAll), not a React hook
const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moe'] })
afterEach(cleanup)

/** Renders one element over the real API, signed in as officer.moe. */
function renderOverApi(element: React.ReactElement) {
  const fetchAs = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(platform.as['officer.moe'])) headers.set(name, value)
    return platform.app.request(String(input), { ...init, headers })
  }
  const router = createMemoryRouter([{ path: '/', element }])
  render(<App client={createApiClient('http://portal.test/', fetchAs)} router={router} />)
}

describe('ColumnProfiles', () => {
  it('shows each column of the persons dataset with the rules that held its values back', async () => {
    renderOverApi(<ColumnProfiles slug="person-address-pa" version={1} />)
    const table = await screen.findByRole(
      'table',
      { name: 'Statistics of each column of version 1' },
      { timeout: 20_000 },
    )
    expect(screen.getByRole('heading', { name: 'Column statistics of version 1' })).toBeTruthy()
    const key = within(table).getByRole('row', { name: /person_key/ })
    expect(
      within(key).getByText(
        'Withheld: direct identifier (only missing and distinct values are counted)',
      ),
    ).toBeTruthy()
    expect(within(key).getByText('None shown')).toBeTruthy()
    const postal = within(table).getByRole('row', { name: /^postal_code/ })
    expect(within(postal).getByText(/^Withheld: the sample shows its data at /)).toBeTruthy()
    // A shown column names its most frequent values with their rows, and says k's rule.
    const sex = within(table).getByRole('row', { name: /^sex/ })
    expect(within(sex).getAllByText(/^(M|F): [\d,]+ rows$/)).toHaveLength(2)
    expect(within(sex).getByText(/^Values fewer than \d+ rows carry are not shown$/)).toBeTruthy()
  }, 60_000)

  it('gives every histogram a text alternative', async () => {
    renderOverApi(<ColumnProfiles slug="sensor-hourly-by-planning-area" version={1} />)
    await screen.findByRole('table', undefined, { timeout: 20_000 })
    const charts = screen.getAllByRole('img', { name: /^Histogram: / })
    expect(charts.length).toBeGreaterThan(0)
    for (const chart of charts)
      expect(chart.getAttribute('aria-label')).toMatch(
        /: ([\d,]+ rows?|withheld \(fewer than \d+ rows\))/,
      )
  }, 60_000)
})

describe('SchemaDiff', () => {
  it('says so when there is no earlier version', async () => {
    renderOverApi(<SchemaDiff slug="person-address-pa" versions={[1]} />)
    expect(await screen.findByText('No earlier version to compare')).toBeTruthy()
  })
})
