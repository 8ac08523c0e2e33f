import { describe, expect, it } from 'vitest'
import type { LineageNode } from '../api/use-lineage.js'
import { collapseWide } from './collapse-groups.js'
import { EMPTY_TRACE } from './column-trace.js'
import { toFlowEdges } from './flow-edges.js'
import { layoutGraph } from './graph-layout.js'

// React Flow draws no edge in jsdom (it measures the nodes first), so the edges are checked here,
// as data: a dataset read by ten jobs, each writing a dataset of its own.
const hub = 'dataset:s3://bucket:hub'
const job = (n: number) => `job:etl:reader_${n}`
const out = (n: number) => `dataset:s3://bucket:out_${n}`
const readers = Array.from({ length: 10 }, (_, n) => n)

function node(id: string, type: LineageNode['type'], links: { in?: string[]; out?: string[] }) {
  const name = id.split(':').at(-1) ?? id
  return {
    id,
    type,
    data: { namespace: type === 'JOB' ? 'etl' : 's3://bucket', name, type: 'BATCH', facets: {} },
    inEdges: (links.in ?? []).map((origin) => ({ origin, destination: id })),
    outEdges: (links.out ?? []).map((destination) => ({ origin: id, destination })),
  } satisfies LineageNode
}

const nodes: LineageNode[] = [
  node(hub, 'DATASET', { out: readers.map(job) }),
  ...readers.map((n) => node(job(n), 'JOB', { in: [hub], out: [out(n)] })),
  ...readers.map((n) => node(out(n), 'DATASET', { in: [job(n)] })),
]

function edgesOf(highlighted: ReadonlySet<string>) {
  const collapsed = collapseWide(nodes, {
    keep: new Set([hub, ...highlighted]),
    expanded: new Set(),
  })
  const layout = layoutGraph(
    [...collapsed.nodes.map((n) => n.id), ...collapsed.groups.map((g) => g.id)],
    collapsed.edges,
  )
  return toFlowEdges({ nodes, collapsed, layout, highlighted, trace: EMPTY_TRACE })
}

const STRONG = '#5b6770'
const FAINT = '#d5dade'

describe('the edges of the graph', () => {
  it('names each arrow by the nodes it joins, a group as "folded nodes"', () => {
    const edges = edgesOf(new Set())
    // Five readers in view, with their outputs; the other five and theirs in one group.
    const shown = edges.flatMap(
      (e) => /^From hub to reader_(\d)$/.exec(e.ariaLabel ?? '')?.[1] ?? [],
    )
    expect(shown).toHaveLength(5)
    expect(edges.map((e) => e.ariaLabel).sort()).toEqual(
      [
        ...shown.flatMap((n) => [`From hub to reader_${n}`, `From reader_${n} to out_${n}`]),
        'From hub to folded nodes',
      ].sort(),
    )
    expect(edges.find((e) => e.ariaLabel === `From reader_${shown[0]} to out_${shown[0]}`)).toEqual(
      {
        id: `${job(Number(shown[0]))}→${out(Number(shown[0]))}`,
        source: job(Number(shown[0])),
        target: out(Number(shown[0])),
        ariaLabel: `From reader_${shown[0]} to out_${shown[0]}`,
        markerEnd: { type: 'arrowclosed', color: STRONG, width: 16, height: 16 },
        style: { stroke: STRONG, strokeWidth: 1.5 },
      },
    )
    // Nothing traced: every arrow as strong as the rest.
    expect(new Set(edges.map((e) => JSON.stringify(e.style)))).toEqual(
      new Set([JSON.stringify({ stroke: STRONG, strokeWidth: 1.5 })]),
    )
  })

  it('draws the arrows a traced column takes strong and the rest faint', () => {
    const edges = edgesOf(new Set([hub, job(7), out(7)]))
    const style = (label: string) => edges.find((e) => e.ariaLabel === label)?.style
    expect(style('From hub to reader_7')).toEqual({ stroke: STRONG, strokeWidth: 2.5 })
    expect(style('From reader_7 to out_7')).toEqual({ stroke: STRONG, strokeWidth: 2.5 })
    const others = edges.filter(
      (e) => !e.ariaLabel?.includes('reader_7') && e.ariaLabel !== 'From hub to folded nodes',
    )
    expect(others).toHaveLength(10)
    for (const edge of others) expect(edge.style).toEqual({ stroke: FAINT, strokeWidth: 1.5 })
    // A group is as lit as the node it hangs off.
    expect(style('From hub to folded nodes')).toEqual({ stroke: STRONG, strokeWidth: 2.5 })
  })
})
