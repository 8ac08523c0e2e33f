import { createHash } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest'
import { type RunningServer, serveApp } from '../../server/index.js'
import {
  API_AUDIENCE,
  axeViolations,
  freePort,
  IDP_CLIENT,
  launchChromium,
  openTestRuntime,
  screenshot,
  startIdentityProvider,
  type TestRuntime,
  watchProblems,
} from '../../testing/index.js'

// The people of the portal's journeys, signing in through a real OpenID Connect provider, and
// what the journeys share: the server on fixture data, Chromium, and the checks of every page.

export const OFFICER = {
  sub: 'nurul.hassan',
  name: 'Nurul Hassan (MOH planner)',
  email: 'nurul.hassan@moh.example.gov.sg',
  agency: 'MOH',
  roles: ['officer'],
}
export const SECOND_OFFICER = {
  sub: 'daniel.koh',
  name: 'Daniel Koh (MOE analyst)',
  email: 'daniel.koh@moe.example.gov.sg',
  agency: 'MOE',
  roles: ['officer'],
}
export const STEWARD = {
  sub: 'huimin.lim',
  name: 'Lim Hui Min (DOS data steward)',
  email: 'huimin.lim@dos.example.gov.sg',
  agency: 'DOS',
  roles: ['officer', 'steward'],
}
export const LEADER = {
  sub: 'boonkeng.teo',
  name: 'Teo Boon Keng (MDDI leadership)',
  email: 'boonkeng.teo@mddi.example.gov.sg',
  agency: 'MDDI',
  roles: ['officer', 'leader'],
}

export const DATASET = 'Persons by residential planning area'
/** Within the 90 days a request asks for by default, counted from today. */
export const ACCESS_ENDS = new Date(Date.now() + 60 * 86_400_000)
export const isoDate = (date: Date) => date.toISOString().slice(0, 10)
export const SLUG = 'person-address-pa'

/** A journey file's server, browser and checks: filled before its first test runs. */
export interface Journeys {
  /** Where the portal is served. */
  readonly url: string
  /** A fresh browser (its own cookies) signed in through the identity provider as `account`. */
  signIn(account: { sub: string }, viewport?: { width: number; height: number }): Promise<Page>
  /**
   * Axe on the page as it stands, its heading outline (one h1, no level skipped), a screenshot,
   * and the result kept for the summary.
   */
  check(page: Page, name: string): Promise<void>
  /** Console errors and uncaught exceptions of the pages signed in so far. */
  readonly problems: string[]
  /** The platform behind the server, for what happens outside the browser (a feed delivered). */
  readonly runtime: TestRuntime
}

/**
 * Starts the identity provider, the server on fixture data (configured as in production) and
 * Chromium for the test file it is called in, and stops them after its last test.
 */
export function openJourneys(): Journeys {
  let runtime: TestRuntime
  let server: RunningServer
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>
  let browser: Browser
  const contexts: BrowserContext[] = []
  const problems: string[] = []
  /** Pages checked by axe, with their violations (expected: none anywhere). */
  const audited = new Map<string, string[]>()

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
        PSEUDONYM_KEY: runKey('pseudonym'),
        AUDIT_KEY: runKey('audit'),
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: IDP_CLIENT.id,
        OIDC_CLIENT_SECRET: IDP_CLIENT.secret,
        OIDC_AUDIENCE: API_AUDIENCE,
      },
    })
    server = await serveApp(runtime, port)
    browser = await launchChromium()
  })
  // A failed step leaves a picture of every page open, to see what was there instead.
  afterEach(async (test) => {
    if (test.task.result?.state !== 'fail') return
    const open = contexts.flatMap((c) => c.pages()).filter((p) => !p.isClosed())
    const name = test.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)
    for (const [i, page] of open.entries())
      await screenshot(page, `failed-${name}-${i}`).catch(() => undefined)
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
    await idp?.close()
    await runtime?.dispose()
  })

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
    // Into the one list every page of the journeys reports to.
    watchProblems(page, problems, server.url)
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

  async function check(page: Page, name: string): Promise<void> {
    await screenshot(page, `journey-${name}`)
    expect(await headingProblems(page), `headings on ${name}`).toEqual([])
    const violations = await axeViolations(page)
    audited.set(name, violations)
    for (const v of violations) process.stderr.write(`axe on ${name}: ${v}\n`)
    expect(violations.join('\n'), `axe on ${name}`).toBe('')
  }

  return {
    get url() {
      return server.url
    },
    get runtime() {
      return runtime
    },
    signIn,
    check,
    problems,
  }
}

/**
 * Presses Tab until the focused element's accessible name is `name` (at most 60 times), at a
 * person's pace: after each press the page's own focus handling runs first. A dialog's focus trap
 * checks, a moment (a timer) after Tab leaves a date field, that focus went where it expected,
 * and puts it there if not; a next Tab pressed before that check saw focus pulled back from under
 * it, onto "Cancel", which the following Enter then pressed instead of "Approve".
 */
export async function tabTo(page: Page, name: string): Promise<void> {
  const seen: string[] = []
  for (let step = 0; step < 60; step++) {
    await page.keyboard.press('Tab')
    // Timers run in the order they were set: this one after any the Tab's handlers set.
    await page.evaluate('new Promise((resolve) => setTimeout(resolve, 0))')
    const focused = await focusedName(page)
    if (focused === name) return
    seen.push(focused)
  }
  throw new Error(`Tab never reached "${name}"; it went through: ${seen.join(' | ')}`)
}

/**
 * Opens one of a page's tabs and waits until it is the selected one. On a loaded machine a click
 * can land while the page is still laying itself out and reach no tab (a failed run's picture
 * showed the page still on Overview 30 s after "Schema" was clicked): as a person would, it is
 * clicked again, at most three times.
 */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true })
  const selected = page.getByRole('tab', { name, exact: true, selected: true })
  for (let attempt = 1; ; attempt++) {
    await tab.click()
    try {
      await selected.waitFor({ timeout: 10_000 })
      return
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
}

/** The accessible name of the focused element, as a screen reader would announce it. */
export async function focusedName(page: Page): Promise<string> {
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
export async function tooWide(page: Page): Promise<string[]> {
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

/**
 * A key of this test run's, the same in every journey file (so they share one loaded template)
 * and new in each run: drawn from the run's own template directory, a random name.
 */
function runKey(purpose: string): string {
  return createHash('sha256')
    .update(`${inject('runtimeTemplates')}:${purpose}`)
    .digest('base64')
}
