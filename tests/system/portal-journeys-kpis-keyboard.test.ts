import { describe, expect, it } from 'vitest'
import { browserTestsRun } from '../../testing/index.js'
import {
  ACCESS_ENDS,
  DATASET,
  focusedName,
  isoDate,
  LEADER,
  openJourneys,
  SECOND_OFFICER,
  SLUG,
  STEWARD,
  tabTo,
} from './portal-journeys-test-kit.js'

// A leader's journey through the KPIs, and the request and approval forms by keyboard alone, end
// to end in Chromium against the real server on fixture data, signing in through a real OpenID
// Connect provider. Every page checked on the way is checked with axe-core and saved as a
// screenshot.

const journeys = openJourneys()

describe.skipIf(!browserTestsRun())('the portal for leaders and by keyboard, in Chromium', () => {
  it('leader: opens the KPI dashboard, KPI 14, and follows its sources to data and lineage', async () => {
    const page = await journeys.signIn(LEADER)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPIs' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs' })
      .waitFor()
    expect(await page.getByRole('link', { name: /^\d+\. / }).count()).toBe(15)
    await journeys.check(page, 'leader-dashboard')

    await page.getByRole('link', { name: /^14\. / }).click()
    await page.getByRole('img', { name: 'KPI 14 by quarter against its target' }).waitFor()
    const sources = page.getByRole('region', { name: 'Where does this number come from?' })
    await sources.scrollIntoViewIfNeeded()
    await journeys.check(page, 'leader-kpi-14')

    // KPI 14 is measured from the platform's own records: its computation has a lineage run,
    // and its values are published as a dataset.
    await sources.getByRole('link', { name: 'its lineage' }).click()
    await page.getByRole('group', { name: 'Lineage graph' }).waitFor()
    await page
      .getByRole('button', { name: /^Job kpi\.compute in / })
      .first()
      .waitFor()
    await journeys.check(page, 'leader-lineage')
    await page.goBack()
    await sources.getByRole('link', { name: 'the KPI history dataset' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs: yearly values' })
      .waitFor()
    expect(new URL(page.url()).pathname).toBe('/datasets/blueprint-kpi-history')
    await journeys.check(page, 'leader-dataset')
  })

  it('is usable by keyboard alone: the request form and the approval dialog', async () => {
    const officer = await journeys.signIn(SECOND_OFFICER)
    await officer.goto(`${journeys.url}/datasets/${SLUG}`)
    await officer.getByRole('heading', { level: 1, name: DATASET }).waitFor()
    await tabTo(officer, 'Request access')
    await officer.keyboard.press('Enter')
    await officer.getByRole('form', { name: 'Request access' }).waitFor()
    // Sent empty: it says what to fix, and the keyboard lands on the first field to fix.
    await tabTo(officer, 'Send request')
    await officer.keyboard.press('Enter')
    await officer.getByText(/^Say what the data is for in at least 20 characters/).waitFor()
    expect(await focusedName(officer)).toBe('Purpose')
    await officer.keyboard.type('School catchment planning by planning area, 2027 intake')
    await tabTo(officer, 'Legal basis')
    await officer.keyboard.type('Education Act 1957, s. 8')
    await tabTo(officer, 'Project (optional)')
    await officer.keyboard.type('School places 2027')
    await tabTo(officer, 'Send request')
    await officer.keyboard.press('Enter')
    await officer.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    const path = new URL(officer.url()).pathname

    const steward = await journeys.signIn(STEWARD)
    await steward.goto(`${journeys.url}${path}`)
    await steward.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    await tabTo(steward, 'Approve…')
    await steward.keyboard.press('Enter')
    const dialog = steward.getByRole('dialog', { name: 'Approve this request' })
    await dialog.waitFor()
    // Escape closes the dialog and gives focus back to the button that opened it.
    await steward.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await focusedName(steward)).toBe('Approve…')
    await steward.keyboard.press('Enter')
    await dialog.waitFor()
    await tabTo(steward, 'person_source Direct identifier')
    await steward.keyboard.press('Space')
    await tabTo(steward, 'Access ends on')
    // A date field takes its digits in the browser's order: month, day, year in en-US.
    await steward.keyboard.type(
      `${isoDate(ACCESS_ENDS).slice(5, 7)}${isoDate(ACCESS_ENDS).slice(8, 10)}${isoDate(ACCESS_ENDS).slice(0, 4)}`,
    )
    await tabTo(steward, 'Approve')
    await steward.keyboard.press('Enter')
    await steward.getByText('Access granted').first().waitFor()
    // The "Approve…" button is gone with the step: the keyboard is on the request's heading.
    await expect.poll(() => focusedName(steward)).toBe(`Request for ${DATASET}`)
    expect(await steward.getByText(/^Columns: /).textContent()).not.toContain('person_source')
    // Neither journey of this file met a script error or a failing server on the portal's pages.
    expect(journeys.problems).toEqual([])
  })
})
