import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../testing/index.js'
import { openPortal } from '../../portal-test-kit.js'
import { BADGE_COLOURS } from './components/graph-colours.js'

/** `#rrggbb` as the DOM gives a colour back: `rgb(r, g, b)`. */
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`

// Lineage also goes to a file, so job runs show where their events were sent.
const lineageFile = join(mkdtempSync(join(tmpdir(), 'portal-lineage-')), 'events.jsonl')
const portal = openPortal({ signedInAs: 'officer.moh', env: { LINEAGE_FILE: lineageFile } })

describe("the portal's lineage pages", () => {
  it("traces a dataset's lineage on its page: graph, a job's runs, a column back to the feed", async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/datasets/person-address-pa/lineage')
    // The lineage part loads on its own (React Flow with it): give it time on a busy machine.
    const section = await screen.findByRole('region', { name: 'Lineage' }, { timeout: 15000 })
    const graph = await within(section).findByRole('group', { name: 'Lineage graph' })
    const staged = (feed: string) =>
      within(graph).getByRole('button', { name: `Dataset ${feed} in gov-data-portal.staging` })
    const job = (name: string) =>
      within(graph).getByRole('button', { name: `Job ${name} in gov-data-portal` })
    expect(staged('dos_persons')).toBeTruthy()
    // The panel beside the graph says what fills it.
    expect(
      within(section).getByText('Select a dataset or job in the graph to see its details here.'),
    ).toBeTruthy()
    // The zoom buttons sit outside the drawing.
    const zoom = within(section).getByRole('group', { name: 'Zoom' })
    expect(within(graph).queryByRole('button', { name: 'Zoom in' })).toBeNull()
    expect(within(zoom).getByRole('button', { name: 'Zoom in' })).toBeTruthy()
    await user.click(job('fuse.person_address_pa'))
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
    // The feed's own upstream is beyond two steps: expanding the node brings it in.
    expect(within(graph).queryByRole('button', { name: /^Job ingest\.dos_persons/ })).toBeNull()
    await user.click(staged('dos_persons'))
    await user.click(within(section).getByRole('button', { name: 'Expand upstream' }))
    expect(
      await within(graph).findByRole('button', {
        name: 'Job ingest.dos_persons in gov-data-portal',
      }),
    ).toBeTruthy()

    // A column traced goes back through every job to the feed's column.
    await user.selectOptions(within(section).getByLabelText('Trace a column'), 'person_key')
    const where = await within(section).findByRole('region', {
      name: 'Where person_key comes from',
    })
    expect(within(where).getByText('Traced 2 steps back to 1 source column:')).toBeTruthy()
    const sources = within(where).getByRole('list', { name: 'Source columns' })
    expect(within(sources).getByText('dos_persons.uinfin')).toBeTruthy()
    expect(within(sources).getByText('in feeds://ica')).toBeTruthy()
    const steps = within(where).getByRole('list', { name: 'Each step of the trace' })
    expect(
      within(steps)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('p')?.textContent),
    ).toEqual([
      'person-address-pa.person_key from dos_persons.uinfin: direct transformation (masked)',
      'dos_persons.uinfin from dos_persons.uinfin: direct transformation',
    ])
    // The graph goes as deep as the trace: the feed is drawn, with the column in it, and an
    // arrow per hop from row to row.
    const feed = await within(graph).findByRole('button', {
      name: 'Dataset dos_persons in feeds://ica',
    })
    expect(feed.dataset.faded).toBe('false')
    expect(
      within(section).getByText('Showing 4 steps, to follow person_key to its sources.'),
    ).toBeTruthy()
    const rows = within(graph).getAllByRole('list', { name: 'Traced columns of dos_persons' })
    expect(rows.map((list) => list.textContent)).toEqual(['uinfin', 'uinfin'])
    expect(
      within(graph).getByRole('list', { name: 'Traced columns of person-address-pa' }).textContent,
    ).toBe('person_key (traced)')
    for (const hop of [
      'Column uinfin of dos_persons to person_key of person-address-pa: direct transformation (masked)',
      'Column uinfin of dos_persons to uinfin of dos_persons: direct transformation',
    ])
      expect(within(graph).getByRole('img', { name: hop })).toBeTruthy()
    expect(job('ingest.dos_persons').dataset.faded).toBe('false')
    expect(staged('sla_addresses').dataset.faded).toBe('true')

    // A reference table the fusion reads is a dataset of the graph like any other.
    await user.selectOptions(within(section).getByLabelText('Trace a column'), 'planning_area_name')
    const reference = await within(graph).findByRole('button', {
      name: 'Dataset ref_planning_areas in gov-data-portal.reference',
    })
    expect(reference.dataset.faded).toBe('false')
    expect(
      within(graph).getByRole('list', { name: 'Traced columns of ref_planning_areas' }).textContent,
    ).toBe('name')
    expect(within(graph).queryByRole('group', { name: /^Outside the graph/ })).toBeNull()
    expect(job('fuse.person_address_pa').dataset.faded).toBe('false')
    const area = await within(section).findByRole('region', {
      name: 'Where planning_area_name comes from',
    })
    expect(within(area).getByText('ref_planning_areas.name')).toBeTruthy()
    expect(within(area).queryByText('outside the graph')).toBeNull()
    expect(
      within(area)
        .getAllByRole('listitem')
        .map((item) => item.querySelector('p')?.textContent)
        .filter(Boolean),
    ).toContain(
      'person-address-pa.planning_area_name from ref_planning_areas.name: direct identity',
    )

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
    const admin = { ...(await signInAs(portal.app, 'admin')), 'content-type': 'application/json' }
    // The tool's namespaces belong to the administrator's agency, who sends its events.
    for (const namespace of ['airflow://wide', 's3://wide-bucket'])
      await portal.app.request('/api/v1/lineage/namespaces', {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ namespace, agency: 'GOVTECH' }),
      })
    const posted = await portal.app.request('/api/v1/lineage/batch', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(events),
    })
    expect(await posted.json()).toMatchObject({ status: 'success' })
    portal.clearCookies()
    const user = userEvent.setup()
    portal.renderAt('/sign-in?returnTo=%2Flineage')
    await user.click(await screen.findByRole('button', { name: /^officer\.moh/ }))
    await user.type(await screen.findByLabelText('Find a dataset or job'), 'hub.parquet')
    await user.click(screen.getByRole('button', { name: 'Find' }))
    const result = await screen.findByRole('link', { name: 'landing/hub.parquet' })
    const badge = within(result.closest('li') as HTMLElement).getByText('lineage only')
    // Drawn in the AA colours graph-colours.test.ts measures (4.5:1 or more).
    const root = badge.closest('.mantine-Badge-root') as HTMLElement
    expect([root.style.color, root.style.backgroundColor]).toEqual([
      rgb(BADGE_COLOURS.neutral.color),
      rgb(BADGE_COLOURS.neutral.background),
    ])
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
    portal.renderAt('/?q=hub')
    const also = await screen.findByRole('region', { name: 'Also seen in lineage' })
    expect(within(also).getByRole('link', { name: 'landing/hub.parquet' })).toBeTruthy()
  })
})
