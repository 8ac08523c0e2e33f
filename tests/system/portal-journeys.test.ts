import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, serveApp } from '../../server/index.js'
import {
  API_AUDIENCE,
  axeViolations,
  browserTestsRun,
  freePort,
  IDP_CLIENT,
  launchChromium,
  openTestRuntime,
  runInWorkbench,
  screenshot,
  startIdentityProvider,
  type TestRuntime,
  watchProblems,
} from '../../testing/index.js'

// The three journeys of the people the portal serves, end to end in Chromium against the real
// server on fixture data, signing in through a real OpenID Connect provider. Every page a journey
// passes through is checked with axe-core (WCAG 2.1 A and AA) and saved as a screenshot.

const OFFICER = {
  sub: 'nurul.hassan',
  name: 'Nurul Hassan (MOH planner)',
  email: 'nurul.hassan@moh.example.gov.sg',
  agency: 'MOH',
  roles: ['officer'],
}
const SECOND_OFFICER = {
  sub: 'daniel.koh',
  name: 'Daniel Koh (MOE analyst)',
  email: 'daniel.koh@moe.example.gov.sg',
  agency: 'MOE',
  roles: ['officer'],
}
const STEWARD = {
  sub: 'huimin.lim',
  name: 'Lim Hui Min (DOS data steward)',
  email: 'huimin.lim@dos.example.gov.sg',
  agency: 'DOS',
  roles: ['officer', 'steward'],
}
const LEADER = {
  sub: 'boonkeng.teo',
  name: 'Teo Boon Keng (MDDI leadership)',
  email: 'boonkeng.teo@mddi.example.gov.sg',
  agency: 'MDDI',
  roles: ['officer', 'leader'],
}

const DATASET = 'Persons by residential planning area'
/** Within the 90 days a request asks for by default, counted from today. */
const ACCESS_ENDS = new Date(Date.now() + 60 * 86_400_000)
const isoDate = (date: Date) => date.toISOString().slice(0, 10)
const SLUG = 'person-address-pa'

describe.skipIf(!browserTestsRun())('the portal as people use it, in Chromium', () => {
  let runtime: TestRuntime
  let server: RunningServer
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>
  let browser: Browser
  const contexts: BrowserContext[] = []
  const problems: string[] = []
  /** Pages checked by axe, with their violations (expected: none anywhere). */
  const audited = new Map<string, string[]>()
  let requestPath = ''
  /** The officer's browser after the grant, to try the data again once it is revoked. */
  let officerWithGrant: Page | undefined

  beforeAll(async () => {
    const port = await freePort()
    const publicUrl = `http://127.0.0.1:${port}`
    idp = await startIdentityProvider({
      redirectUri: `${publicUrl}/api/auth/oidc/callback`,
      accounts: [OFFICER, SECOND_OFFICER, STEWARD, LEADER],
    })
    runtime = await openTestRuntime({
      backend: 'pglite',
      env: {
        HOST: '127.0.0.1',
        PUBLIC_URL: publicUrl,
        DEV_SIGN_IN: 'false',
        // As in production: no development mode, so the pseudonym and audit keys are configured.
        PSEUDONYM_KEY: randomBytes(32).toString('base64'),
        AUDIT_KEY: randomBytes(32).toString('base64'),
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: IDP_CLIENT.id,
        OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
        OIDC_AUDIENCE: API_AUDIENCE,
      },
    })
    server = await serveApp(runtime, port)
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await idp?.close()
    await runtime?.dispose()
  })

  /** A fresh browser (its own cookies) signed in through the identity provider as `sub`. */
  async function signIn(
    account: { sub: string },
    viewport = { width: 1280, height: 900 },
  ): Promise<Page> {
    // axe is injected as a script the portal's Content-Security-Policy would rightly refuse.
    const context = await browser.newContext({
      viewport,
      locale: 'en-US',
      acceptDownloads: true,
      bypassCSP: true,
    })
    contexts.push(context)
    const page = await context.newPage()
    problems.push(...watchProblems(page))
    await page.goto(server.url)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    if (!audited.has('sign-in')) await check(page, 'sign-in')
    await page.getByRole('link', { name: 'Sign in with your government account' }).click()
    // The identity provider's own pages: log in, then consent to the portal.
    await page.locator('input[name="login"]').fill(account.sub)
    await page.locator('input[name="password"]').fill('any')
    await page.locator('button[type="submit"]').click()
    await page.locator('button[type="submit"]').click()
    await page
      .getByRole('banner')
      .getByRole('button', { name: /^Account: / })
      .waitFor()
    return page
  }

  /**
   * Axe on the page as it stands, its heading outline (one h1, no level skipped), a screenshot,
   * and the result kept for the summary.
   */
  async function check(page: Page, name: string): Promise<void> {
    await screenshot(page, `journey-${name}`)
    expect(await headingProblems(page), `headings on ${name}`).toEqual([])
    const violations = await axeViolations(page)
    audited.set(name, violations)
    for (const v of violations) process.stderr.write(`axe on ${name}: ${v}\n`)
    expect(violations.join('\n'), `axe on ${name}`).toBe('')
  }

  it('officer: finds data by keyword and facet, reads it, previews and downloads the sample, and asks for the full data', async () => {
    const page = await signIn(OFFICER)
    await check(page, 'officer-home')

    // Keyword, then a facet; the results come within a second of asking.
    const box = page.getByLabel('Search datasets', { exact: true })
    await box.fill('planning area')
    const asked = Date.now()
    await box.press('Enter')
    await page.getByText(/^\d+ datasets? for "planning area"$/).waitFor({ timeout: 1_000 })
    const searchMs = Date.now() - asked
    process.stderr.write(`Search results rendered ${searchMs} ms after Enter\n`)
    // Choosing a facet value narrows the results and is kept in the address.
    await page.getByRole('checkbox', { name: /^DOS\b/ }).click()
    await page.waitForURL((url) => url.searchParams.get('agency') === 'DOS')
    await expect.poll(() => page.getByRole('checkbox', { name: /^DOS\b/ }).isChecked()).toBe(true)
    await page.getByRole('link', { name: DATASET }).waitFor()
    await check(page, 'officer-search')

    // The dataset: schema, lineage, sample preview and its download.
    await page.getByRole('link', { name: DATASET }).click()
    await page.getByRole('heading', { level: 1, name: DATASET }).waitFor()
    const schema = page.getByRole('table', { name: '16 columns of the current version' })
    expect(await schema.getByRole('row').count()).toBe(17)
    await page.getByRole('group', { name: 'Lineage graph' }).waitFor()
    await page.getByRole('table', { name: /^First \d+ rows of the sample$/ }).waitFor()
    const [sample] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('group', { name: /^De-identified sample/ })
        .getByRole('link', { name: 'CSV' })
        .click(),
    ])
    const csv = await readFile((await sample.path()) ?? '', 'utf8')
    expect(csv.split('\n')[0]).toContain('planning_area_code')
    await check(page, 'officer-dataset')

    // The full data, for a cross-agency project.
    await page.getByRole('button', { name: 'Request access' }).click()
    const form = page.getByRole('form', { name: 'Request access' })
    await form
      .getByLabel('Purpose')
      .fill('Plan polyclinic capacity by planning area and age band for 2027')
    await form.getByLabel('Legal basis').fill('Public Sector (Governance) Act 2018, s. 25')
    await form.getByLabel('Project (optional)').fill('Polyclinic capacity 2027 (MOH with DOS)')
    await check(page, 'officer-request-form')
    await form.getByRole('button', { name: 'Send request' }).click()
    await page.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    await page.getByText(/^Working day 0 of 7/).waitFor()
    requestPath = new URL(page.url()).pathname
    await check(page, 'officer-request')
  })

  it('steward: sees the new request with its clock, approves a column subset until a date', async () => {
    const page = await signIn(STEWARD)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Data requests' })
      .click()
    const queue = page.getByRole('table', { name: 'Waiting for your agency' })
    const row = queue.getByRole('row', { name: /nurul\.hassan/ })
    await row.waitFor()
    expect(await row.textContent()).toMatch(/Working day 0 of 7|0 of 7 working days/)
    await check(page, 'steward-queue')

    await row.getByRole('link').first().click()
    await page.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    await page.getByRole('button', { name: 'Approve…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Approve this request' })
    await dialog.waitFor()
    await dialog.getByRole('checkbox', { name: 'person_source' }).uncheck()
    await dialog.getByRole('checkbox', { name: 'address_source_record' }).uncheck()
    await dialog.getByLabel('Access ends on').fill(isoDate(ACCESS_ENDS))
    await check(page, 'steward-approve-dialog')
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click()
    await page.getByText('Access granted').first().waitFor()
    const grant = page.getByText(/^Columns /)
    expect(await grant.textContent()).not.toContain('person_source')
    await check(page, 'steward-request-granted')
  })

  it('officer: sees the grant, queries the full data in the workbench and downloads Parquet', async () => {
    const page = await signIn(OFFICER)
    officerWithGrant = page
    await page.getByRole('link', { name: /^Inbox, \d+ unread$/ }).click()
    const approved = page.getByRole('link', { name: `Your request for ${DATASET} is approved` })
    await approved.first().waitFor()
    await check(page, 'officer-inbox')
    await approved.first().click()
    await page.getByText('Access granted').first().waitFor()
    expect(new URL(page.url()).pathname).toBe(requestPath)

    await runInWorkbench(
      page,
      'SELECT planning_area_code, age_band, count(*) AS persons FROM person_address_pa GROUP BY ALL ORDER BY persons DESC',
    )
    expect(await page.getByRole('columnheader', { name: /^persons / }).count()).toBe(1)
    await check(page, 'officer-workbench')
    const [result] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Parquet/ }).click(),
    ])
    const parquet = await readFile((await result.path()) ?? '')
    // A Parquet file starts and ends with its magic bytes.
    expect(parquet.subarray(0, 4).toString()).toBe('PAR1')
    expect(parquet.subarray(-4).toString()).toBe('PAR1')
  })

  it('steward: sees who holds access, revokes the grant, and edits the description', async () => {
    const page = await signIn(STEWARD)
    await page.goto(`${server.url}/datasets/${SLUG}`)
    const holders = page.getByRole('table', { name: 'Grants on this dataset, newest first' })
    const holder = holders.getByRole('row', { name: /nurul\.hassan/ })
    await holder.waitFor()
    await check(page, 'steward-holders')

    await page.goto(`${server.url}${requestPath}`)
    await page.getByRole('button', { name: 'Revoke access…' }).click()
    const revoke = page.getByRole('dialog', { name: 'Revoke access' })
    await revoke.getByLabel('Reason').fill('Project closed early; access no longer needed')
    await check(page, 'steward-revoke-dialog')
    await revoke.getByRole('button', { name: 'Revoke', exact: true }).click()
    await page.getByText('Revoked').first().waitFor()

    // At once, the officer's full data is gone: the same query now fails, saying why.
    const officer = officerWithGrant
    if (!officer) throw new Error('the officer journey did not run')
    await officer.goto(
      `${server.url}/query?sql=${encodeURIComponent('SELECT count(*) AS persons FROM person_address_pa')}`,
    )
    await officer.getByRole('button', { name: /^Run/ }).click()
    await officer
      .getByRole('alert')
      .filter({ hasText: /person_address_pa/ })
      .waitFor()
    expect(await officer.getByRole('columnheader', { name: /^persons / }).count()).toBe(0)

    await page.goto(`${server.url}/datasets/${SLUG}`)
    await page.getByRole('button', { name: 'Edit metadata' }).click()
    const form = page.getByRole('form', { name: 'Edit metadata' })
    await form
      .getByLabel('Description', { exact: true })
      .fill('Every registered person placed in a planning area, for planning public services.')
    await check(page, 'steward-edit')
    await form.getByRole('button', { name: 'Save changes' }).click()
    await page
      .getByText('Every registered person placed in a planning area, for planning public services.')
      .waitFor()
    await check(page, 'steward-edited')
  })

  it('leader: opens the KPI dashboard, KPI 14, and follows its sources to data and lineage', async () => {
    const page = await signIn(LEADER)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'KPIs' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs' })
      .waitFor()
    expect(await page.getByRole('link', { name: /^\d+\. / }).count()).toBe(15)
    await check(page, 'leader-dashboard')

    await page.getByRole('link', { name: /^14\. / }).click()
    await page.getByRole('img', { name: 'KPI 14 by quarter against its target' }).waitFor()
    const sources = page.getByRole('region', { name: 'Where does this number come from?' })
    await sources.scrollIntoViewIfNeeded()
    await check(page, 'leader-kpi-14')

    // KPI 14 is measured from the platform's own records: its computation has a lineage run,
    // and its values are published as a dataset.
    await sources.getByRole('link', { name: 'its lineage' }).click()
    await page.getByRole('group', { name: 'Lineage graph' }).waitFor()
    await page
      .getByRole('button', { name: /^Job kpi\.compute in / })
      .first()
      .waitFor()
    await check(page, 'leader-lineage')
    await page.goBack()
    await sources.getByRole('link', { name: 'the KPI history dataset' }).click()
    await page
      .getByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs: yearly values' })
      .waitFor()
    expect(new URL(page.url()).pathname).toBe('/datasets/blueprint-kpi-history')
    await check(page, 'leader-dataset')
  })

  it('is usable by keyboard alone: the request form and the approval dialog', async () => {
    const officer = await signIn(SECOND_OFFICER)
    await officer.goto(`${server.url}/datasets/${SLUG}`)
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

    const steward = await signIn(STEWARD)
    await steward.goto(`${server.url}${path}`)
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
    await tabTo(steward, 'person_source')
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
    expect(await steward.getByText(/^Columns /).textContent()).not.toContain('person_source')
  })

  it('fits a 375 px phone screen', async () => {
    const page = await signIn(OFFICER, { width: 375, height: 740 })
    for (const [path, heading] of [
      ['/?q=population', /datasets? for "population"/],
      [`/datasets/${SLUG}`, DATASET],
      ['/kpis', 'Digital Government Blueprint KPIs'],
      [requestPath, /^Request for /],
    ] as const) {
      await page.goto(`${server.url}${path}`)
      await (typeof heading === 'string'
        ? page.getByRole('heading', { level: 1, name: heading })
        : page.getByText(heading).first()
      ).waitFor()
      expect(await tooWide(page), path).toEqual([])
    }
    // A steward's dataset page has more on it (who holds access, the editor's button).
    const steward = await signIn(STEWARD, { width: 375, height: 740 })
    await steward.goto(`${server.url}/datasets/${SLUG}`)
    await steward.getByRole('table', { name: 'Grants on this dataset, newest first' }).waitFor()
    await steward.getByRole('group', { name: 'Lineage graph' }).waitFor()
    expect(await tooWide(steward), "the steward's dataset page").toEqual([])
    await check(steward, 'phone-steward-dataset')

    await page.getByRole('button', { name: 'Open navigation' }).click()
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'KPIs' })
      .waitFor()
    await check(page, 'phone-navigation')
    expect(problems).toEqual([])
  })
})

/** Presses Tab until the focused element's accessible name is `name` (at most 60 times). */
async function tabTo(page: Page, name: string): Promise<void> {
  const seen: string[] = []
  for (let step = 0; step < 60; step++) {
    await page.keyboard.press('Tab')
    const focused = await focusedName(page)
    if (focused === name) return
    seen.push(focused)
  }
  throw new Error(`Tab never reached "${name}"; it went through: ${seen.join(' | ')}`)
}

/** The accessible name of the focused element, as a screen reader would announce it. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const el = document.activeElement
    if (!el) return ''
    const labelledBy = el.getAttribute('aria-labelledby')
    if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim()
    const aria = el.getAttribute('aria-label')
    if (aria) return aria.trim()
    if (el.labels && el.labels.length > 0) return el.labels[0].textContent.replace(/\\s*\\*$/, '').trim()
    return (el.textContent ?? '').trim()
  })()`)
}

/**
 * What sticks out of the page sideways on this screen: the outermost elements whose right edge is
 * beyond the window's width and that nothing scrolls or clips, each as tag, classes and right
 * edge, so a failure says where to look.
 */
async function tooWide(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const width = document.documentElement.clientWidth
    if (document.documentElement.scrollWidth <= width) return []
    // Inside a box that scrolls or clips sideways (a wide table, the graph's canvas) is fine.
    const clipped = (node) => {
      for (let up = node.parentElement; up && up !== document.body; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== 'visible') return true
      return false
    }
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      const box = el.getBoundingClientRect()
      return box.right > width + 1 && getComputedStyle(el).position !== 'fixed' && !clipped(el)
    })
    // Text can stick out of a box that is not wider itself (a long word that cannot wrap).
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const range = document.createRange()
      range.selectNodeContents(text)
      const parent = text.parentElement
      if (parent && range.getBoundingClientRect().right > width + 1 && !clipped(text))
        wide.push(parent)
    }
    if (wide.length === 0) wide.push(document.documentElement)
    return wide
      .filter((el) => !wide.includes(el.parentElement))
      .slice(0, 5)
      .map((el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' ' + Math.round(el.getBoundingClientRect().right) + 'px')
  })()`)
}

/** Where the page's heading outline breaks: not exactly one h1, or a level skipped going down. */
async function headingProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const visible = (el) => el.getClientRects().length > 0 || el.closest('[class*="VisuallyHidden"]')
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible)
    const problems = []
    const ones = headings.filter((h) => h.tagName === 'H1').length
    if (ones !== 1) problems.push(ones + ' h1 elements')
    let previous = 0
    for (const h of headings) {
      const level = Number(h.tagName[1])
      if (level > previous + 1) problems.push('h' + level + ' "' + h.textContent.trim() + '" after h' + previous)
      previous = level
    }
    return problems
  })()`)
}
