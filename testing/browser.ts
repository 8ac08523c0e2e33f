import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'

/** Where Debian installs Chromium; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Whether a browser test runs: always in CI (which installs Chromium, so a missing browser fails
 * there), on a laptop only when Chromium is present, saying so when it is not.
 */
export function browserTestsRun(): boolean {
  const present = existsSync(CHROMIUM)
  const required = process.env.CI === 'true' || process.env.CI === '1'
  if (!present && !required) {
    process.stderr.write(`Browser test skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)\n`)
  }
  return present || required
}

/** Debian's Chromium, headless, with nothing reaching out to the network by itself. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Saves a full-page screenshot under test-results/ (CI keeps the folder as an artifact). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true })
  await page.screenshot({ path: join('test-results', `${name}.png`), fullPage: true })
}

/**
 * Collects a page's console errors and uncaught exceptions into `problems` (as they happen), to
 * assert there were none; with `origin`, only while the page is on it (not on an identity
 * provider's pages). A 4xx answer is the API saying no, which the portal shows as a message:
 * Chromium logs it as an error, and it is not counted; a 5xx is.
 */
export function watchProblems(page: Page, problems: string[] = [], origin?: string): string[] {
  const watched = () => origin === undefined || page.url().startsWith(origin)
  page.on('console', (message) => {
    if (message.type() !== 'error' || !watched()) return
    if (
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())
    )
      return
    const where = message.location().url
    problems.push(where ? `${message.text()} (${where})` : message.text())
  })
  page.on('pageerror', (error) => {
    if (watched()) problems.push(error.message)
  })
  return problems
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

let axeSource: string | undefined

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is now and returns the violations,
 * each as one readable line (rule, what it asks, where), so a failing test says what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(
    createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
    'utf8',
  )
  // Evaluated in the page, where `window` and `document` exist (this file is compiled for Node).
  if (!(await page.evaluate<boolean>("'axe' in window")))
    await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate<unknown[]>(`axe
    .run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    })
    .then((result) => result.violations)`)
  return (violations as AxeViolation[]).map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, ' ')}]` : ''}`,
        )
        .join('; ')}`,
  )
}

/**
 * Opens the query workbench from the main navigation, types the SQL into the editor as a person
 * would, runs it with Ctrl+Enter and waits for the row count of its answer.
 */
export async function runInWorkbench(page: Page, sql: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Query' }).click()
  await page.getByRole('heading', { level: 1, name: 'Query workbench' }).waitFor()
  await page.locator('.cm-content').click()
  await page.keyboard.type(sql)
  await page.keyboard.press('Control+Enter')
  await page
    .getByRole('status')
    .filter({ hasText: /\brows? · Ran in/ })
    .waitFor()
}
