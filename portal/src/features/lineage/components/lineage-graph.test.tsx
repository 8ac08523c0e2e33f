import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  signInAs,
  type TestRuntime,
} from '../../../../../testing/index.js'
import type { LineageNode } from '../api/use-lineage.js'
import { EMPTY_TRACE } from './column-trace.js'
import { LineageGraph } from './lineage-graph.js'
import { MIN_ZOOM } from './use-graph-view.js'

// The graph draws what the real lineage API answers over fixture data, after another tool has
// reported a wide fan: a dataset read by 30 jobs, each writing its own output.
let runtime: TestRuntime
let app: ReturnType<typeof createTestApp>
let nodes: LineageNode[]

const HUB = { namespace: 's3://wide-bucket', name: 'landing/hub.parquet' }
const HUB_ID = `dataset:${HUB.namespace}:${HUB.name}`
const reader = (n: number) => `wide.reader_${String(n).padStart(2, '0')}`
const FOLDED_GROUP = 'Show 25 jobs and 25 datasets more downstream of landing/hub.parquet'

beforeAll(async () => {
  runtime = await openTestRuntime({ backend: 'pglite' })
  app = createTestApp(runtime)
  const admin = { ...(await signInAs(app, 'admin')), 'content-type': 'application/json' }
  // The tool's namespaces belong to the administrator's agency, who sends its events.
  for (const namespace of ['airflow://wide', HUB.namespace])
    await app.request('/api/v1/lineage/namespaces', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ namespace, agency: 'GOVTECH' }),
    })
  const events = Array.from({ length: 30 }, (_, n) => ({
    eventType: 'COMPLETE',
    eventTime: new Date(Date.UTC(2026, 10, 20, 0, n)).toISOString(),
    producer: 'https://github.com/apache/airflow',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: `0193f3a4-8c1e-7d2a-9b1c-${String(n).padStart(12, '0')}` },
    job: { namespace: 'airflow://wide', name: reader(n) },
    inputs: [HUB],
    outputs: [{ namespace: HUB.namespace, name: `out/${n}.parquet` }],
  }))
  const posted = await app.request('/api/v1/lineage/batch', {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(events),
  })
  expect(await posted.json()).toMatchObject({ status: 'success' })
  const res = await app.request(`/api/v1/lineage?nodeId=${encodeURIComponent(HUB_ID)}&depth=2`, {
    headers: await signInAs(app, 'officer.moh'),
  })
  nodes = ((await res.json()) as { graph: LineageNode[] }).graph
})
afterAll(() => runtime.dispose())
afterEach(cleanup)

const idOf = (name: string) => nodes.find((n) => n.data.name === name)?.id ?? name

/** The graph around the hub, as the explorer holds it: the selection is the page's. */
function Explorer({ highlighted = new Set<string>() }: { highlighted?: ReadonlySet<string> }) {
  const [selected, setSelected] = useState<LineageNode | undefined>()
  return (
    <>
      <LineageGraph
        nodes={nodes}
        focus={HUB_ID}
        selected={selected?.id}
        highlighted={highlighted}
        trace={EMPTY_TRACE}
        onSelect={setSelected}
      />
      <p>Selected: {selected?.data.name ?? 'nothing'}</p>
    </>
  )
}

function renderGraph(highlighted?: ReadonlySet<string>) {
  render(
    <MantineProvider>
      <Explorer highlighted={highlighted} />
    </MantineProvider>,
  )
  return { graph: screen.getByRole('group', { name: 'Lineage graph' }), user: userEvent.setup() }
}

const jobsIn = (graph: HTMLElement) =>
  within(graph)
    .queryAllByRole('button', { name: /^Job wide\.reader_/ })
    .map((b) =>
      b.textContent
        ?.trim()
        .replace(/^Job +/, '')
        .replace(/ +in airflow:\/\/wide$/, ''),
    )
const jobButton = (graph: HTMLElement, n: number) =>
  within(graph).getByRole('button', { name: `Job ${reader(n)} in airflow://wide` })

describe('the lineage graph', () => {
  it('folds a wide fan: five readers in view, the rest in one group node, counted above', async () => {
    const { graph } = renderGraph()
    expect(nodes).toHaveLength(61)
    expect(screen.getByText('31 datasets, 30 jobs (50 folded into 1 group)')).toBeTruthy()
    expect(jobsIn(graph)).toHaveLength(5)
    expect(within(graph).getByRole('button', { name: FOLDED_GROUP })).toBeTruthy()
    expect(
      within(graph).getByRole('button', {
        name: 'Dataset landing/hub.parquet in s3://wide-bucket',
      }),
    ).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Show all' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Fold wide fans' })).toBeNull()
    // Folded, it fits the view: no overview needed.
    expect(screen.queryByLabelText('Overview of the whole graph')).toBeNull()
  })

  it('opens a group on click, and folds it again', async () => {
    const { graph, user } = renderGraph()
    await user.click(within(graph).getByRole('button', { name: FOLDED_GROUP }))
    expect(jobsIn(graph)).toHaveLength(30)
    expect(within(graph).queryByRole('button', { name: FOLDED_GROUP })).toBeNull()
    expect(screen.getByText('31 datasets, 30 jobs')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Show all' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Fold wide fans' }))
    expect(jobsIn(graph)).toHaveLength(5)
    expect(screen.getByText('31 datasets, 30 jobs (50 folded into 1 group)')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Fold wide fans' })).toBeNull()
  })

  it('shows every node on "Show all", with an overview to move around in', async () => {
    const { graph, user } = renderGraph()
    await user.click(screen.getByRole('button', { name: 'Show all' }))
    expect(jobsIn(graph)).toHaveLength(30)
    expect(screen.getByText('31 datasets, 30 jobs')).toBeTruthy()
    // Unfolded it is taller than the view.
    expect(screen.getByLabelText('Overview of the whole graph')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Fold wide fans' }))
    expect(jobsIn(graph)).toHaveLength(5)
    expect(screen.queryByLabelText('Overview of the whole graph')).toBeNull()
  })

  it('never draws text under 12 px, and keeps the zoom and overview off the drawing', async () => {
    const { graph, user } = renderGraph()
    await user.click(screen.getByRole('button', { name: 'Show all' }))
    const scale = () =>
      Number(
        /scale\(([\d.]+)\)/.exec(
          (graph.querySelector('.react-flow__viewport') as HTMLElement).style.transform,
        )?.[1],
      )
    expect(scale()).toBe(1)
    const zoomOut = screen.getByRole('button', { name: 'Zoom out' })
    await user.click(zoomOut)
    // The zoom stops where the text would get smaller than 12 px.
    expect(scale()).toBe(MIN_ZOOM)
    expect(zoomOut).toHaveProperty('disabled', true)
    await user.click(screen.getByRole('button', { name: 'Zoom in' }))
    expect(scale()).toBeCloseTo(MIN_ZOOM * 1.25)
    // Unfolded, it is too tall to fit legibly: "fit" goes back to its focus at the legible scale.
    await user.click(screen.getByRole('button', { name: 'Back to the start' }))
    expect(scale()).toBe(MIN_ZOOM)
    // The smallest text in a node is 14 px: 12 px or more at the smallest scale.
    expect(14 * MIN_ZOOM).toBeGreaterThanOrEqual(12)
    // Neither the zoom buttons nor the overview are inside the drawing.
    expect(screen.getByLabelText('Overview of the whole graph')).toBeTruthy()
    expect(within(graph).queryByLabelText('Overview of the whole graph')).toBeNull()
    expect(within(graph).queryByRole('button', { name: /^Zoom/ })).toBeNull()
  })

  it('selects a node by click or by keyboard, and marks the one selected', async () => {
    const { graph, user } = renderGraph()
    const first = jobButton(graph, 0)
    expect(first.getAttribute('aria-pressed')).toBe('false')
    await user.click(first)
    expect(screen.getByText(`Selected: ${reader(0)}`)).toBeTruthy()
    expect(jobButton(graph, 0).getAttribute('aria-pressed')).toBe('true')

    jobButton(graph, 1).focus()
    await user.keyboard('{Enter}')
    expect(screen.getByText(`Selected: ${reader(1)}`)).toBeTruthy()
    expect(jobButton(graph, 0).getAttribute('aria-pressed')).toBe('false')
    expect(jobButton(graph, 1).getAttribute('aria-pressed')).toBe('true')
  })

  it('finds nodes by name and goes to each in turn, opening the group it is folded in', async () => {
    const { graph, user } = renderGraph()
    const find = screen.getByLabelText('Find a node in the graph')
    await user.type(find, 'zzz')
    expect(screen.getByText('no match')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Find in the graph' })).toHaveProperty(
      'disabled',
      true,
    )

    await user.clear(find)
    await user.type(find, 'reader_2')
    expect(screen.getByText('10 matches')).toBeTruthy()
    expect(screen.getByText('Selected: nothing')).toBeTruthy()
    // reader_20 to reader_29 are all folded.
    expect(within(graph).queryByRole('button', { name: /^Job wide\.reader_2/ })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Find in the graph' }))
    expect(screen.getByText('1 of 10')).toBeTruthy()
    expect(screen.getByText(`Selected: ${reader(20)}`)).toBeTruthy()
    expect(jobButton(graph, 20).getAttribute('aria-pressed')).toBe('true')
    expect(jobsIn(graph)).toHaveLength(30)
    await user.click(screen.getByRole('button', { name: 'Next match in the graph' }))
    expect(screen.getByText('2 of 10')).toBeTruthy()
    expect(screen.getByText(`Selected: ${reader(21)}`)).toBeTruthy()
  })

  it('keeps a traced column in view and fades what it does not flow through', async () => {
    const traced = new Set([HUB_ID, idOf(reader(27)), idOf('out/27.parquet')])
    const { graph } = renderGraph(traced)
    // reader_27 would be folded; what a column flows through never is.
    expect(jobButton(graph, 27).dataset.faded).toBe('false')
    expect(
      within(graph).getByRole('button', { name: 'Dataset out/27.parquet in s3://wide-bucket' })
        .dataset.faded,
    ).toBe('false')
    expect(jobButton(graph, 0).dataset.faded).toBe('true')
    // A group is as lit as the node it hangs off.
    expect(
      within(graph).getByRole('button', {
        name: /^Show .* more downstream of landing\/hub\.parquet$/,
      }).dataset.faded,
    ).toBe('false')
  })
})
