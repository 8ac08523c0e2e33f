import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserTestsRun } from '../../testing/index.js'
import { DATASET, OFFICER, openJourneys, openTab, SLUG } from './portal-journeys-test-kit.js'

// The catalogue as deep as people expect, in Chromium against the real server on fixture data:
// search finds what people mean (an abbreviation of a glossary term, a column as one types); a
// followed dataset's new version reaches the follower's inbox and home page; its Quality tab lists
// every check across both versions; a column traced on the Lineage tab reaches the feed; and the
// government masthead tops every page. Every page is checked with axe and saved as a screenshot.

const inChromium = browserTestsRun()
const journeys = openJourneys()
const OPEN_DATASET = 'Postal code geocode reference'
const OPEN_SLUG = 'postal-geocode-reference'
let officer: Page

/** SLA delivers its addresses again, one fewer: the Trusted Centre publishes a second version. */
async function deliverAddressesAgain(): Promise<void> {
  const { runtime } = journeys
  const inbox = join(runtime.dataDir, 'feeds', 'inbox', 'sla_addresses.csv')
  const delivered = await readFile(inbox, 'utf8')
  const file = join(runtime.dataDir, 'sla_addresses-journey.csv')
  await writeFile(file, `${delivered.trimEnd().split('\n').slice(0, -1).join('\n')}\n`)
  expect((await runtime.trustedCentre.ingest('sla_addresses', file)).outcome).toBe('ingested')
  const [fused] = await runtime.trustedCentre.fuse('postal_geocode_reference')
  expect(fused?.publication).toMatchObject({ version: 2, created: true })
}

describe.skipIf(!inChromium)('a catalogue as deep as the best, in Chromium', () => {
  it('officer: the masthead says whose site this is; "NRIC" finds the persons dataset', async () => {
    officer = await journeys.signIn(OFFICER)
    const masthead = officer.getByRole('button', { name: 'How to identify' })
    expect(await officer.getByText('A Singapore Government Agency Website').count()).toBe(1)
    expect(await masthead.getAttribute('aria-expanded')).toBe('false')
    await masthead.click()
    await officer.getByText('Official website links end with .gov.sg').waitFor()
    expect(await masthead.getAttribute('aria-expanded')).toBe('true')
    await masthead.click()

    const box = officer.getByRole('combobox', { name: 'Search datasets' })
    await box.fill('NRIC')
    await box.press('Enter')
    await officer.waitForURL((url) => url.searchParams.get('q') === 'NRIC')
    await officer.getByRole('link', { name: DATASET }).waitFor()
    await journeys.check(officer, 'catalogue-search-nric')
  })

  it('officer: a typed prefix suggests a column, and choosing it searches for it', async () => {
    await officer.goto(journeys.url)
    const box = officer.getByRole('combobox', { name: 'Search datasets' })
    await box.pressSequentially('postal_c', { delay: 30 })
    const column = officer.getByRole('option', { name: /^postal_code in .*\(column\)$/ }).first()
    await column.waitFor()
    await journeys.check(officer, 'catalogue-suggestions')
    await column.click()
    await officer.getByRole('link', { name: OPEN_DATASET }).first().waitFor()
  })

  it('officer: follows a dataset, hears of its new version, and reads every check across both versions', async () => {
    await officer.goto(`${journeys.url}/datasets/${OPEN_SLUG}`)
    await officer.getByRole('heading', { level: 1, name: OPEN_DATASET }).waitFor()
    const follow = officer.getByRole('button', { name: 'Follow' })
    await follow.click()
    await officer.getByRole('button', { name: 'Following', pressed: true }).waitFor()
    await journeys.check(officer, 'catalogue-following')

    await deliverAddressesAgain()
    // The notice is written once the version is committed, in the background: the inbox shows it.
    await expect
      .poll(
        async () => {
          await officer.goto(`${journeys.url}/notifications`)
          await officer.getByRole('heading', { level: 1 }).waitFor()
          return officer
            .getByRole('link', { name: `New version of ${OPEN_DATASET}: version 2` })
            .count()
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0)
    await journeys.check(officer, 'catalogue-inbox-new-version')
    await officer
      .getByRole('link', { name: `New version of ${OPEN_DATASET}: version 2` })
      .first()
      .click()
    await officer.waitForURL(`**/datasets/${OPEN_SLUG}/history`)
    await officer
      .getByRole('table', { name: 'Every published version; each is immutable' })
      .waitFor()

    await openTab(officer, 'Quality')
    const matrix = officer.getByRole('table', { name: /^\d+ quality checks across 2 versions/ })
    await matrix.waitFor()
    const headers = await matrix.getByRole('columnheader').allTextContents()
    expect(headers.slice(-2)).toEqual(['v2', 'v1'])
    expect(await matrix.getByRole('rowheader').count()).toBeGreaterThanOrEqual(4)
    await journeys.check(officer, 'catalogue-quality')

    // Home: the datasets one follows, with the news.
    await officer.goto(journeys.url)
    const followed = officer.getByRole('region', { name: 'Datasets you follow' })
    await followed.getByRole('link', { name: OPEN_DATASET, exact: true }).waitFor()
    await followed
      .getByRole('link', { name: `New version of ${OPEN_DATASET}: version 2` })
      .waitFor()
    await journeys.check(officer, 'catalogue-home-followed')
  })

  it('officer: traces a column on the Lineage tab back to the feed it came from', async () => {
    await officer.goto(`${journeys.url}/datasets/${SLUG}/lineage`)
    const graph = officer.getByRole('group', { name: 'Lineage graph' })
    await graph.waitFor()
    await officer.getByLabel('Trace a column').selectOption('person_key')
    const where = officer.getByRole('region', { name: 'Where person_key comes from' })
    await where.waitFor()
    const sources = where.getByRole('list', { name: 'Source columns' })
    await sources.getByText('dos_persons.uinfin').waitFor()
    expect(await sources.getByText('in feeds://ica').count()).toBe(1)
    await graph.getByRole('button', { name: 'Dataset dos_persons in feeds://ica' }).waitFor()
    await journeys.check(officer, 'catalogue-column-trace')
    expect(journeys.problems).toEqual([])
  })
})
