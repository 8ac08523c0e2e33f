import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemAbility } from '../../identity/index.js'
import { runEvent } from '../../lineage/index.js'
import { type RunningServer, serveApp } from '../../server/index.js'
import {
  browserTestsRun,
  launchChromium,
  openTestRuntime,
  runInWorkbench,
  screenshot,
  type TestRuntime,
  watchProblems,
} from '../../testing/index.js'

describe.skipIf(!browserTestsRun())('the portal in Chromium', () => {
  let runtime: TestRuntime
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    if (!existsSync(join(runtime.portalDir, 'index.html'))) {
      throw new Error('The portal is not built: run `npm run build:portal` (npm test does) first')
    }
    server = await serveApp(runtime, 0)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await runtime?.dispose()
  })

  it('signs an officer in, lists the fused dataset and shows its schema', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems = watchProblems(page)

    await page.goto(server.url)
    // A visitor is sent to sign in first; the development picker is clearly marked.
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await page.getByText('For development and demonstrations only').waitFor()
    await screenshot(page, 'portal-sign-in')
    await page.getByRole('button', { name: /^officer\.moh/ }).click()
    const link = page.getByRole('link', { name: 'Persons by residential planning area' })
    await link.waitFor()
    await screenshot(page, 'portal-search')
    const dataset = await runtime.catalog.findDataset('person-address-pa', systemAbility())
    const rows = new Intl.NumberFormat('en-SG').format(dataset?.currentVersion?.rowCount ?? -1)
    expect(await page.getByRole('listitem').filter({ has: link }).textContent()).toContain(rows)

    await link.click()
    await page
      .getByRole('heading', { level: 1, name: 'Persons by residential planning area' })
      .waitFor()
    expect(new URL(page.url()).pathname).toBe('/datasets/person-address-pa')
    // The schema is a tab of its own, at an address of its own.
    await page.getByRole('tab', { name: 'Schema' }).click()
    expect(new URL(page.url()).pathname).toBe('/datasets/person-address-pa/schema')
    const schema = page.getByRole('table', { name: '16 columns of the current version' })
    await schema.waitFor()
    expect(await schema.getByRole('row').count()).toBe(17)
    await screenshot(page, 'portal-dataset-page')

    // A deep link loads directly, as after a refresh or a shared URL.
    await page.goto(`${server.url}/datasets/person-address-pa`)
    await page
      .getByRole('heading', { level: 1, name: 'Persons by residential planning area' })
      .waitFor()

    // The glossary links a term to the columns that carry it.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Glossary' })
      .click()
    const uses = page.getByRole('list', { name: 'Columns described by Planning area' })
    await uses.getByRole('link', { name: 'person-address-pa' }).waitFor()
    await screenshot(page, 'portal-glossary')

    // An officer asks for the data; the request page shows its working-day clock.
    await page.goto(`${server.url}/datasets/person-address-pa`)
    await page.getByRole('button', { name: 'Request access' }).click()
    const form = page.getByRole('form', { name: 'Request access' })
    await form
      .getByLabel('Purpose')
      .fill('Plan polyclinic capacity by planning area and age band for 2027')
    await form.getByLabel('Legal basis').fill('Public Sector (Governance) Act 2018, s. 25')
    await form.getByLabel('Project (optional)').fill('Polyclinic capacity 2027')
    await form.getByRole('button', { name: 'Send request' }).click()
    await page.getByRole('heading', { level: 1, name: /^Request for / }).waitFor()
    await page.getByText(/^Working day 0 of 7/).waitFor()
    await screenshot(page, 'portal-request')
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Data requests' })
      .click()
    await page.getByRole('table', { name: 'Requests you made, newest first' }).waitFor()
    await screenshot(page, 'portal-requests')

    // The workbench: type SQL into the editor, run it with the keyboard, see typed results.
    await runInWorkbench(
      page,
      'SELECT planning_area_code, count(*) AS n FROM postal_geocode_reference GROUP BY 1 ORDER BY 2 DESC',
    )
    // The caller's views are listed beside the editor, with their columns.
    await page.getByRole('list', { name: 'Columns of postal_geocode_reference' }).waitFor()
    expect(await page.getByRole('columnheader', { name: /^n / }).count()).toBe(1)
    await screenshot(page, 'portal-workbench')

    // Lineage: the graph on the dataset page's tab, laid out in a real browser; zoom, then a job's runs.
    await page.goto(`${server.url}/datasets/person-address-pa/lineage`)
    const graph = page.getByRole('group', { name: 'Lineage graph' })
    await graph.waitFor()
    const job = graph.getByRole('button', { name: 'Job fuse.person_address_pa in gov-data-portal' })
    const box = await job.boundingBox()
    expect(box?.width).toBeGreaterThan(40)
    await page.getByRole('button', { name: 'Zoom in' }).click()
    expect(((await job.boundingBox())?.width ?? 0) > (box?.width ?? 0)).toBe(true)
    await job.click()
    await page.getByRole('table', { name: 'Runs of fuse.person_address_pa' }).waitFor()
    await graph.scrollIntoViewIfNeeded()
    await screenshot(page, 'portal-lineage')

    await checkLargeLineage(page, runtime, server.url)
    await checkKpis(page, server.url)

    // The API reference is a page of its own, served by the API, within the same security headers.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API reference' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Government Data Portal API' }).waitFor()
    expect(await page.getByRole('heading', { level: 2, name: 'Catalogue' }).count()).toBe(1)
    await screenshot(page, 'api-reference')
    expect(problems).toEqual([])
  })
})

/**
 * A large graph (201 nodes: a hub read by 100 jobs) opens legible around its focus; shown whole,
 * with an overview to move around in; Find goes to a node by name.
 */
async function checkLargeLineage(page: Page, runtime: TestRuntime, url: string): Promise<void> {
  for (let n = 0; n < 100; n++)
    await runtime.lineage.store.record(
      runEvent({
        eventType: 'COMPLETE',
        eventTime: new Date(Date.UTC(2026, 10, 1, 0, n)),
        runId: `browser-hub-${n}`,
        job: { name: `reader${n}.copy`, type: 'TASK' },
        inputs: [{ namespace: 'gov-data-portal.bench', name: 'hub' }],
        outputs: [{ namespace: 'gov-data-portal.bench', name: `copy${n}` }],
      }),
    )
  await page.goto(`${url}/lineage?node=${encodeURIComponent('dataset:gov-data-portal.bench:hub')}`)
  const large = page.getByRole('group', { name: 'Lineage graph' })
  await large.waitFor()
  // The wide fan opens folded: five readers and one group node, the whole graph legible.
  expect(await page.getByText('101 datasets, 100 jobs (190 folded into 1 group)').count()).toBe(1)
  const hub = large.getByRole('button', { name: 'Dataset hub in gov-data-portal.bench' })
  // Node boxes at about the size they are drawn at 1:1, so their names read as text does.
  expect((await hub.boundingBox())?.height ?? 0).toBeGreaterThan(36)
  expect(await large.getByRole('button', { name: /^Job reader/ }).count()).toBe(5)
  await large
    .getByRole('button', { name: /^Show 95 jobs and 95 datasets more downstream/ })
    .waitFor()
  await screenshot(page, 'portal-lineage-large')
  // All 201 nodes: legible around the focus, with an overview to move around in.
  await page.getByRole('button', { name: 'Show all' }).click()
  expect(await large.getByRole('button', { name: /^Job reader/ }).count()).toBe(100)
  expect((await hub.boundingBox())?.height ?? 0).toBeGreaterThan(36)
  const overview = page.getByLabel('Overview of the whole graph')
  // A click low on the overview (under the drawing, so scrolled to) moves the view down the
  // graph: the hub moves up.
  await overview.scrollIntoViewIfNeeded()
  const before = (await hub.boundingBox())?.y ?? 0
  const map = await overview.boundingBox()
  if (!map) throw new Error('the overview is not drawn')
  await page.mouse.click(map.x + map.width / 2, map.y + map.height - 4)
  await expect.poll(async () => (await hub.boundingBox())?.y ?? 0).toBeLessThan(before)
  // Find goes to a node by name, wherever it is, and selects it.
  await page.getByLabel('Find a node in the graph').fill('reader42.copy')
  await page.getByRole('button', { name: 'Find in the graph' }).click()
  await page.getByRole('region', { name: 'Details of reader42.copy' }).waitFor()
  const found = await large
    .getByRole('button', { name: 'Job reader42.copy in gov-data-portal' })
    .boundingBox()
  const canvas = await large.boundingBox()
  expect(
    found && canvas && found.y > canvas.y && found.y + found.height < canvas.y + canvas.height,
  ).toBe(true)
  await screenshot(page, 'portal-lineage-large-all')
}

/**
 * The KPI dashboard: all 15 KPIs render, each with its status in words; one KPI's page charts its
 * trend against the target band; the print view drops the navigation.
 */
async function checkKpis(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/kpis`)
  await page.getByRole('heading', { level: 1, name: 'Digital Government Blueprint KPIs' }).waitFor()
  const kpiCards = page.getByRole('link', { name: /^\d+\. / })
  expect(await kpiCards.count()).toBe(15)
  expect(await page.locator('.kpi-card .mantine-Badge-root').count()).toBe(15)
  // Each sparkline is drawn once its box is measured.
  await page.locator('.kpi-card .sparkline svg').nth(14).waitFor()
  await screenshot(page, 'portal-kpis')
  await page.emulateMedia({ media: 'print' })
  expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false)
  await screenshot(page, 'portal-kpis-print')
  await page.emulateMedia({ media: 'screen' })
  await page.getByRole('link', { name: /^15\. / }).click()
  const chart = page.getByRole('img', { name: 'KPI 15 by year against its target' })
  await chart.waitFor()
  expect((await chart.boundingBox())?.width ?? 0).toBeGreaterThan(300)
  await screenshot(page, 'portal-kpi')
  // A quarterly KPI: its axis names quarters.
  await page.goto(`${url}/kpis/14`)
  await page.getByRole('img', { name: 'KPI 14 by quarter against its target' }).waitFor()
  await screenshot(page, 'portal-kpi-quarterly')
}
