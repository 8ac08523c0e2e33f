import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanup, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { signInAs } from '../../../../testing/index.js'
import { openPortal } from '../../portal-test-kit.js'

// Lineage also goes to a file, so job runs show where their events were sent.
const lineageFile = join(mkdtempSync(join(tmpdir(), 'portal-lineage-')), 'events.jsonl')
const portal = openPortal({ signedInAs: 'officer.moh', env: { LINEAGE_FILE: lineageFile } })

describe("the portal's lineage pages", () => {
  it("traces a dataset's lineage on its page: graph, a job's runs, where a column comes from", async () => {
    const user = userEvent.setup()
    const router = portal.renderAt('/datasets/person-address-pa')
    // The lineage part loads on its own (React Flow with it): give it time on a busy machine.
    const section = await screen.findByRole('region', { name: 'Lineage' }, { timeout: 5000 })
    const graph = await within(section).findByRole('group', { name: 'Lineage graph' })
    const staged = (feed: string) =>
      within(graph).getByRole('button', { name: `Dataset ${feed} in gov-data-portal.staging` })
    expect(staged('dos_persons')).toBeTruthy()
    await user.click(
      within(graph).getByRole('button', { name: 'Job fuse.person_address_pa in gov-data-portal' }),
    )
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
    await user.selectOptions(within(section).getByLabelText('Trace a column'), 'person_key')
    const where = await within(section).findByRole('region', {
      name: 'Where person_key comes from',
    })
    expect(
      within(where).getByText('dos_persons.uinfin: direct transformation (masked)'),
    ).toBeTruthy()
    // What the column flows through stays lit; the rest fades.
    expect(staged('dos_persons').dataset.faded).toBe('false')
    expect(staged('sla_addresses').dataset.faded).toBe('true')
    // The feed's own upstream is beyond two steps: expanding the node brings it in.
    expect(
      within(graph).queryByRole('button', { name: 'Job ingest.dos_persons in gov-data-portal' }),
    ).toBeNull()
    await user.click(staged('dos_persons'))
    await user.click(within(section).getByRole('button', { name: 'Expand upstream' }))
    expect(
      await within(graph).findByRole('button', {
        name: 'Job ingest.dos_persons in gov-data-portal',
      }),
    ).toBeTruthy()
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
    expect(within(result.closest('li') as HTMLElement).getByText('lineage only')).toBeTruthy()
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
