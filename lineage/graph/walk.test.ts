import { describe, expect, it } from 'vitest'
import { type EntityId, visibilityOf } from './entity-id.js'
import { type EdgeSource, type Frontier, type LineageEdge, MAX_DEPTH, walkGraph } from './walk.js'

const dataset = (name: string): EntityId => ({ namespace: 'warehouse', name })
const job = (name: string): EntityId => ({ namespace: 'airflow', name })
const reads = (j: string, d: string): LineageEdge => ({
  job: job(j),
  dataset: dataset(d),
  direction: 'input',
})
const writes = (j: string, d: string): LineageEdge => ({
  job: job(j),
  dataset: dataset(d),
  direction: 'output',
})
const everything = visibilityOf(() => true)

/** The edges in memory; remembers each frontier it was asked for. */
function memoryEdges(edges: readonly LineageEdge[]): EdgeSource & { asked: Frontier[] } {
  const same = (a: EntityId) => (b: EntityId) => a.namespace === b.namespace && a.name === b.name
  const asked: Frontier[] = []
  return {
    asked,
    async edgesOf(frontier) {
      asked.push(frontier)
      return edges.filter(
        (e) => frontier.datasets.some(same(e.dataset)) || frontier.jobs.some(same(e.job)),
      )
    },
  }
}

// raw → clean (reads raw, writes staged) → staged → publish (reads staged, writes report) → report
const PIPELINE = [
  reads('clean', 'raw'),
  writes('clean', 'staged'),
  reads('publish', 'staged'),
  writes('publish', 'report'),
]

describe('walking the lineage graph', () => {
  it('goes one edge per step, upstream and downstream at once, as deep as asked', async () => {
    const source = memoryEdges(PIPELINE)
    const start = { kind: 'dataset' as const, id: dataset('staged') }
    expect(await walkGraph(source, start, { depth: 1, visible: everything })).toEqual({
      datasets: [dataset('staged')],
      jobs: [job('clean'), job('publish')],
      edges: [
        { origin: 'job:airflow:clean', destination: 'dataset:warehouse:staged' },
        { origin: 'dataset:warehouse:staged', destination: 'job:airflow:publish' },
      ],
    })
    expect(await walkGraph(source, start, { depth: 2, visible: everything })).toEqual({
      datasets: [dataset('staged'), dataset('raw'), dataset('report')],
      jobs: [job('clean'), job('publish')],
      edges: [
        { origin: 'job:airflow:clean', destination: 'dataset:warehouse:staged' },
        { origin: 'dataset:warehouse:staged', destination: 'job:airflow:publish' },
        { origin: 'dataset:warehouse:raw', destination: 'job:airflow:clean' },
        { origin: 'job:airflow:publish', destination: 'dataset:warehouse:report' },
      ],
    })
  })

  it('starts from a job as well as from a dataset', async () => {
    const walk = await walkGraph(
      memoryEdges(PIPELINE),
      { kind: 'job', id: job('publish') },
      { depth: 1, visible: everything },
    )
    expect(walk).toEqual({
      datasets: [dataset('staged'), dataset('report')],
      jobs: [job('publish')],
      edges: [
        { origin: 'dataset:warehouse:staged', destination: 'job:airflow:publish' },
        { origin: 'job:airflow:publish', destination: 'dataset:warehouse:report' },
      ],
    })
  })

  it(`stops after ${MAX_DEPTH} steps however deep the ask`, async () => {
    // d0 → j1 → d1 → j2 → d2 …: every dataset is two steps from the next.
    const chain = Array.from({ length: 30 }, (_, i) => [
      reads(`j${i + 1}`, `d${i}`),
      writes(`j${i + 1}`, `d${i + 1}`),
    ]).flat()
    const source = memoryEdges(chain)
    const walk = await walkGraph(
      source,
      { kind: 'dataset', id: dataset('d0') },
      { depth: 1000, visible: everything },
    )
    expect(walk?.datasets.map((d) => d.name)).toEqual(
      Array.from({ length: MAX_DEPTH / 2 + 1 }, (_, i) => `d${i}`),
    )
    expect(walk?.jobs).toHaveLength(MAX_DEPTH / 2)
    expect(source.asked).toHaveLength(MAX_DEPTH)
  })

  it('goes round a cycle once, each node and edge once, and stops asking', async () => {
    // sync copies a to b, back-sync copies b to a.
    const source = memoryEdges([
      reads('sync', 'a'),
      writes('sync', 'b'),
      reads('back-sync', 'b'),
      writes('back-sync', 'a'),
    ])
    const walk = await walkGraph(
      source,
      { kind: 'dataset', id: dataset('a') },
      { depth: MAX_DEPTH, visible: everything },
    )
    expect(walk).toEqual({
      datasets: [dataset('a'), dataset('b')],
      jobs: [job('sync'), job('back-sync')],
      edges: [
        { origin: 'dataset:warehouse:a', destination: 'job:airflow:sync' },
        { origin: 'job:airflow:back-sync', destination: 'dataset:warehouse:a' },
        { origin: 'job:airflow:sync', destination: 'dataset:warehouse:b' },
        { origin: 'dataset:warehouse:b', destination: 'job:airflow:back-sync' },
      ],
    })
    // a; then both jobs; then b, which finds nothing new: the next frontier is empty.
    expect(source.asked).toEqual([
      { datasets: [dataset('a')], jobs: [] },
      { datasets: [], jobs: [job('sync'), job('back-sync')] },
      { datasets: [dataset('b')], jobs: [] },
    ])
  })

  it('asks for a whole fan-out in one call per step', async () => {
    const readers = ['r1', 'r2', 'r3', 'r4', 'r5']
    const source = memoryEdges(readers.flatMap((r) => [reads(r, 'shared'), writes(r, `${r}-out`)]))
    const walk = await walkGraph(
      source,
      { kind: 'dataset', id: dataset('shared') },
      { depth: 2, visible: everything },
    )
    expect(walk?.jobs).toEqual(readers.map(job))
    expect(walk?.datasets).toEqual([dataset('shared'), ...readers.map((r) => dataset(`${r}-out`))])
    expect(walk?.edges).toHaveLength(10)
    expect(source.asked).toEqual([
      { datasets: [dataset('shared')], jobs: [] },
      { datasets: [], jobs: readers.map(job) },
    ])
  })

  it('leaves out datasets the caller may not see and does not pass through them', async () => {
    // raw → clean → secret → publish → report, with secret hidden.
    const source = memoryEdges([
      reads('clean', 'raw'),
      writes('clean', 'secret'),
      reads('publish', 'secret'),
      writes('publish', 'report'),
    ])
    const visible = visibilityOf((d: EntityId) => d.name !== 'secret')
    expect(
      await walkGraph(source, { kind: 'dataset', id: dataset('raw') }, { depth: 10, visible }),
    ).toEqual({
      datasets: [dataset('raw')],
      jobs: [job('clean')],
      edges: [{ origin: 'dataset:warehouse:raw', destination: 'job:airflow:clean' }],
    })
    expect(
      await walkGraph(source, { kind: 'dataset', id: dataset('secret') }, { depth: 10, visible }),
    ).toBeUndefined()
  })
})
