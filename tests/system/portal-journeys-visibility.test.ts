import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserTestsRun, runInWorkbench } from '../../testing/index.js'
import {
  DATASET,
  LEADER,
  OFFICER,
  openJourneys,
  SECOND_OFFICER,
  SLUG,
  STEWARD,
} from './portal-journeys-test-kit.js'

// Access people can see and steer, in Chromium against the real server on fixture data: an
// officer holding a grant limited to some rows sees its terms wherever they matter and is told
// when a query asks outside them; a leader sees KPI 14 count the approval at once and opens the
// requests it counts; a query saved with a parameter runs under each opener's own access; a
// steward finds the grant by grantee in the agency view and revokes it there, and the officer
// sees it revoked, with its date. Every page is checked with axe and saved as a screenshot.

const inChromium = browserTestsRun()
const journeys = openJourneys()
const ROW_FILTER = /[Ww]here region_code is CR or ER/
/** Signed-in pages kept between the steps of one person. */
const pages: { officer?: Page; leader?: Page } = {}
let sharingRecordsBefore = 0
let savedQueryUrl = ''

/** The number in KPI 14's "N sharing records" button, on its own page. */
async function sharingRecords(page: Page): Promise<number> {
  await page.goto(`${journeys.url}/kpis/14`)
  const button = page.getByRole('button', { name: /^\d[\d,]* sharing records$/ })
  await button.waitFor()
  return Number((await button.textContent())?.replace(/\D/g, ''))
}

const today = () =>
  new Intl.DateTimeFormat('en-SG', { dateStyle: 'medium', timeZone: 'Asia/Singapore' }).format(
    new Date(),
  )

describe.skipIf(!inChromium)('access people can see and steer, in Chromium', () => {
  it('leader: reads how many sharing records KPI 14 counts today', async () => {
    const page = await journeys.signIn(LEADER)
    pages.leader = page
    sharingRecordsBefore = await sharingRecords(page)
    await journeys.check(page, 'visibility-leader-kpi-before')
  })

  it('officer: asks for the data, is told it was received, and sees the request before any form', async () => {
    const page = await journeys.signIn(OFFICER)
    pages.officer = page
    await page.goto(`${journeys.url}/datasets/${SLUG}`)
    await page.getByRole('heading', { level: 1, name: DATASET }).waitFor()
    await page.getByRole('button', { name: 'Request access' }).click()
    const form = page.getByRole('form', { name: 'Request access' })
    await form.getByLabel('Purpose').fill('Plan eldercare outreach in the central and east regions')
    await form.getByLabel('Legal basis').fill('Public Sector (Governance) Act 2018, s. 25')
    await form.getByRole('button', { name: 'Send request' }).click()
    await page.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()

    await page.getByRole('link', { name: /^Inbox, \d+ unread$/ }).click()
    await page
      .getByRole('link', { name: new RegExp(`request for ${DATASET}`, 'i') })
      .first()
      .waitFor()
    await journeys.check(page, 'visibility-officer-received')

    // Back on the dataset page, the request waiting is shown instead of a form to fill again.
    await page.goto(`${journeys.url}/datasets/${SLUG}`)
    await page
      .getByRole('status')
      .filter({ hasText: 'Your request is with the stewards' })
      .waitFor()
    expect(await page.getByRole('button', { name: 'Request access' }).count()).toBe(0)
    await journeys.check(page, 'visibility-officer-pending')
  })

  it('steward: approves with the personal-data badges and the requester’s history in view, rows of two regions only', async () => {
    const page = await journeys.signIn(STEWARD)
    await page.goto(`${journeys.url}/requests`)
    const queue = page.getByRole('table', { name: 'Waiting for your agency' })
    await queue
      .getByRole('row', { name: /nurul\.hassan/ })
      .getByRole('link')
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    await page.getByRole('button', { name: 'Approve…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Approve this request' })
    await dialog.waitFor()
    // What the requester saw of each column, and what they asked for and held before.
    await dialog.getByText('Sensitive').first().waitFor()
    await dialog.getByRole('region', { name: /nurul\.hassan/ }).waitFor()
    await dialog.getByRole('checkbox', { name: /race_code/ }).uncheck()
    await dialog.getByLabel('Only rows whose').selectOption('region_code')
    await dialog.getByLabel('is one of (comma-separated)').fill('CR, ER')
    await journeys.check(page, 'visibility-steward-approve')
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click()
    await page.getByText('Access granted').first().waitFor()
    await page.getByText(ROW_FILTER).first().waitFor()
  })

  it('leader: sees KPI 14 count the approval without anyone recomputing, and opens the requests it counts', async () => {
    const page = pages.leader
    if (!page) throw new Error('the leader step did not run')
    await expect
      .poll(() => sharingRecords(page), { timeout: 30_000, interval: 1_000 })
      .toBe(sharingRecordsBefore + 1)
    await page.getByRole('button', { name: /sharing records$/ }).click()
    const drawer = page.getByRole('dialog', { name: 'Requests KPI 14 counts' })
    const list = drawer.getByRole('table', { name: /^Requests counted, / })
    await list
      .getByRole('row', { name: new RegExp(`${DATASET}.*MOH of DOS`) })
      .first()
      .waitFor()
    await journeys.check(page, 'visibility-leader-kpi-counted')
  })

  it('officer: sees the grant’s row filter in the notice, on the dataset page and in the workbench, and is told when a query asks outside it', async () => {
    const page = pages.officer
    if (!page) throw new Error('the officer step did not run')
    await page.goto(`${journeys.url}/notifications`)
    await page.getByText(ROW_FILTER).first().waitFor()
    await journeys.check(page, 'visibility-officer-notice')

    await page.goto(`${journeys.url}/datasets/${SLUG}`)
    const held = page.getByRole('status').filter({ hasText: /^You hold access until/ })
    await held.getByText(ROW_FILTER).waitFor()
    await journeys.check(page, 'visibility-officer-dataset-held')

    await runInWorkbench(
      page,
      "SELECT planning_area_code, count(*) AS persons FROM person_address_pa WHERE region_code = 'WR' GROUP BY ALL",
    )
    await page
      .getByRole('group', { name: 'Terms of your grant for person_address_pa' })
      .getByText(ROW_FILTER)
      .waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /covers only rows where region_code/ })
      .waitFor()
    await journeys.check(page, 'visibility-officer-outside-rows')

    await page.goto(
      `${journeys.url}/query?sql=${encodeURIComponent('SELECT race_code, count(*) AS persons FROM person_address_pa GROUP BY ALL')}`,
    )
    await page.getByRole('button', { name: /^Run/ }).click()
    const refusal = page.getByRole('alert').filter({ hasText: /race_code is not in your grant/ })
    await refusal.waitFor()
    expect(await refusal.textContent()).not.toMatch(/\/api\/|Binder|Error:/)
    await journeys.check(page, 'visibility-officer-outside-columns')
  })

  it('officer: saves a query with a parameter and a second officer runs it under his own access', async () => {
    const page = pages.officer
    if (!page) throw new Error('the officer step did not run')
    await page.goto(
      `${journeys.url}/query?sql=${encodeURIComponent('SELECT planning_area_code, count(*) AS persons FROM person_address_pa WHERE region_code = $region GROUP BY ALL ORDER BY persons DESC')}`,
    )
    await page.getByRole('button', { name: 'Save query' }).click()
    const save = page.getByRole('form', { name: 'Save query' })
    await save.getByLabel('Name').fill('Persons by planning area in a region')
    await save.getByLabel('Type of $region').selectOption('text')
    await journeys.check(page, 'visibility-officer-save-query')
    await save.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('link', { name: 'Open the saved query' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Persons by planning area in a region' })
      .waitFor()
    savedQueryUrl = page.url()
    await page.getByLabel('region (Text)').fill('CR')
    await page.getByRole('button', { name: 'Run' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /\brows? · Ran in/ })
      .first()
      .waitFor()
    await journeys.check(page, 'visibility-officer-saved-query')

    const second = await journeys.signIn(SECOND_OFFICER)
    await second.goto(savedQueryUrl)
    await second.getByText('Runs with your own access').waitFor()
    await second.getByLabel('region (Text)').fill('CR')
    await second.getByRole('button', { name: 'Run' }).click()
    const refused = second.getByRole('alert').filter({ hasText: /person_address_pa/ })
    await refused.waitFor()
    expect(await refused.textContent()).toMatch(/sample|request access|not one of your views/i)
    expect(await second.getByRole('columnheader', { name: /^persons/ }).count()).toBe(0)
    await journeys.check(second, 'visibility-second-officer-saved-query')
  })

  it('steward: finds the grant by grantee in the agency view and revokes it there', async () => {
    const page = await journeys.signIn(STEWARD)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Agency' })
      .click()
    await page.getByRole('tab', { name: /^Grants/ }).click()
    await page.getByLabel('Grantee').fill('nurul')
    const grant = page.getByRole('row', {
      name: new RegExp(`${DATASET}.*nurul\\.hassan|nurul\\.hassan.*${DATASET}`),
    })
    await grant.first().waitFor()
    await grant.first().getByText(ROW_FILTER).waitFor()
    await journeys.check(page, 'visibility-steward-agency-grants')
    await grant
      .first()
      .getByRole('button', { name: /^Revoke/ })
      .click()
    const revoke = page.getByRole('dialog', { name: 'Revoke access' })
    await revoke.getByLabel('Reason').fill('Project moved to another team')
    await revoke.getByRole('button', { name: 'Revoke', exact: true }).click()
    await page.getByText(`Revoked ${today()}`).first().waitFor()
    await journeys.check(page, 'visibility-steward-revoked')
  })

  it('officer: sees the grant revoked, with its date, on the dataset page, in the requests and in the workbench', async () => {
    const page = pages.officer
    if (!page) throw new Error('the officer step did not run')
    await page.goto(`${journeys.url}/datasets/${SLUG}`)
    await page
      .getByRole('status')
      .filter({ hasText: `Your access was revoked on ${today()}` })
      .waitFor()
    await journeys.check(page, 'visibility-officer-dataset-revoked')

    await page.goto(`${journeys.url}/requests`)
    await page.getByText(`Revoked ${today()}`).first().waitFor()
    await journeys.check(page, 'visibility-officer-requests-revoked')

    await page.goto(
      `${journeys.url}/query?sql=${encodeURIComponent('SELECT count(*) AS persons FROM person_address_pa')}`,
    )
    await page.getByRole('button', { name: /^Run/ }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: `Your access to ${DATASET} was revoked on ${today()}` })
      .waitFor()
    expect(journeys.problems).toEqual([])
  })
})
