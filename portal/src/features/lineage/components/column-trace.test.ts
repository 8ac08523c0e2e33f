import { describe, expect, it } from 'vitest'
import type { ColumnNode, LineageNode } from '../api/use-lineage.js'
import { traceColumns } from './column-trace.js'
import { hopWords, toFlowEdges } from './flow-edges.js'
import { layoutGraph } from './graph-layout.js'

// The published dataset's graph two hops up: feed → ingest → staging → fusion → published.
// A reference table the fusion reads is in no run's report, so it is not a node.
const FEED = 'dataset:feeds://ica:dos_persons'
const INGEST = 'job:portal:ingest.dos_persons'
const STAGED = 'dataset:portal.staging:dos_persons'
const FUSE = 'job:portal:fuse.person_address_pa'
const PUBLISHED = 'dataset:portal:person-address-pa'
const OTHER = 'dataset:portal.staging:sla_addresses'

function node(id: string, links: { in?: string[]; out?: string[] }): LineageNode {
  const [kind, namespace, name] = /^(dataset|job):(.+):([^:]+)$/.exec(id)?.slice(1) ?? []
  return {
    id,
    type: kind === 'job' ? 'JOB' : 'DATASET',
    data: { namespace: namespace ?? '', name: name ?? id, type: 'BATCH', facets: {} },
    inEdges: (links.in ?? []).map((origin) => ({ origin, destination: id })),
    outEdges: (links.out ?? []).map((destination) => ({ origin: id, destination })),
  }
}
const NODES = [
  node(FEED, { out: [INGEST] }),
  node(INGEST, { in: [FEED], out: [STAGED] }),
  node(STAGED, { in: [INGEST], out: [FUSE] }),
  node(OTHER, { out: [FUSE] }),
  node(FUSE, { in: [STAGED, OTHER], out: [PUBLISHED] }),
  node(PUBLISHED, { in: [FUSE] }),
]

const column = (
  namespace: string,
  dataset: string,
  field: string,
  inputs: ColumnNode['data']['inputFields'] = [],
): ColumnNode => ({
  id: `datasetField:${namespace}:${dataset}:${field}`,
  data: { namespace, dataset, field, inputFields: inputs },
})
const MASKED = [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }]
const IDENTITY = [{ type: 'DIRECT', subtype: 'IDENTITY' }]

// person_key ← staging uinfin (masked) ← the feed's uinfin (assumed: the ingest reports none)
const PERSON_KEY = [
  column('portal', 'person-address-pa', 'person_key', [
    {
      namespace: 'portal.staging',
      dataset: 'dos_persons',
      field: 'uinfin',
      transformations: MASKED,
    },
  ]),
  column('portal.staging', 'dos_persons', 'uinfin', [
    {
      namespace: 'feeds://ica',
      dataset: 'dos_persons',
      field: 'uinfin',
      transformations: IDENTITY,
      assumed: true,
    },
  ]),
  column('feeds://ica', 'dos_persons', 'uinfin'),
]
const AREA = [
  column('portal', 'person-address-pa', 'planning_area_name', [
    {
      namespace: 'portal.reference',
      dataset: 'ref_planning_areas',
      field: 'name',
      transformations: IDENTITY,
    },
  ]),
  column('portal.reference', 'ref_planning_areas', 'name'),
]

describe('a traced column over the graph', () => {
  it('lists the traced columns in each dataset and links them hop by hop back to the feed', () => {
    const trace = traceColumns(PERSON_KEY, NODES, PERSON_KEY[0]?.id)
    expect(Object.fromEntries(trace.fields)).toEqual({
      [PUBLISHED]: ['person_key'],
      [STAGED]: ['uinfin'],
      [FEED]: ['uinfin'],
    })
    expect(trace.links.map((l) => [l.from, l.to, hopWords(l)])).toEqual([
      [
        { node: STAGED, field: 'uinfin', dataset: 'dos_persons' },
        { node: PUBLISHED, field: 'person_key', dataset: 'person-address-pa' },
        'direct transformation (masked)',
      ],
      [
        { node: FEED, field: 'uinfin', dataset: 'dos_persons' },
        { node: STAGED, field: 'uinfin', dataset: 'dos_persons' },
        'assumed unchanged',
      ],
    ])
    // Both jobs lie on the way; the other staged feed does not.
    expect([...trace.highlighted].sort()).toEqual([FEED, FUSE, INGEST, PUBLISHED, STAGED].sort())
    expect(trace.outside).toEqual([])
    expect(trace.hops).toBe(2)
    expect(trace.sources.map((s) => s.id)).toEqual(['datasetField:feeds://ica:dos_persons:uinfin'])
  })

  it('draws a source the graph does not hold as an outside node beside the job that reads it', () => {
    const trace = traceColumns(AREA, NODES, AREA[0]?.id)
    const outside = 'outside:portal.reference:ref_planning_areas'
    expect(trace.outside).toEqual([
      { id: outside, namespace: 'portal.reference', name: 'ref_planning_areas' },
    ])
    expect(trace.links.map((l) => [l.from.node, l.to.node, l.outside])).toEqual([
      [outside, PUBLISHED, true],
    ])
    // The fusion that reads it is lit with it: the graph is not greyed out.
    expect([...trace.highlighted].sort()).toEqual([FUSE, PUBLISHED, outside].sort())
    expect(trace.layoutEdges).toEqual([{ origin: outside, destination: FUSE }])
  })

  it('draws each hop as an arrow from row to row, dashed where assumed', () => {
    const trace = traceColumns(PERSON_KEY, NODES, PERSON_KEY[0]?.id)
    const ids = NODES.map((n) => n.id)
    const links = NODES.flatMap((n) => n.outEdges)
    const layout = layoutGraph(
      ids,
      links,
      new Map([...trace.fields].map(([k, v]) => [k, v.length])),
    )
    const collapsed = { nodes: NODES, groups: [], edges: links }
    const edges = toFlowEdges({
      nodes: NODES,
      collapsed,
      layout,
      highlighted: trace.highlighted,
      trace,
    })
    const columnEdges = edges.filter((e) => e.id.startsWith('column:'))
    expect(columnEdges).toEqual([
      {
        id: `column:${STAGED}:uinfin→${PUBLISHED}:person_key`,
        source: STAGED,
        sourceHandle: 'out:uinfin',
        target: PUBLISHED,
        targetHandle: 'in:person_key',
        ariaLabel:
          'Column uinfin of dos_persons to person_key of person-address-pa: direct transformation (masked)',
        markerEnd: { type: 'arrowclosed', color: '#0b4f8a', width: 14, height: 14 },
        style: { stroke: '#0b4f8a', strokeWidth: 2.5 },
      },
      {
        id: `column:${FEED}:uinfin→${STAGED}:uinfin`,
        source: FEED,
        sourceHandle: 'out:uinfin',
        target: STAGED,
        targetHandle: 'in:uinfin',
        ariaLabel: 'Column uinfin of dos_persons to uinfin of dos_persons: assumed unchanged',
        markerEnd: { type: 'arrowclosed', color: '#0b4f8a', width: 14, height: 14 },
        style: { stroke: '#0b4f8a', strokeWidth: 2.5, strokeDasharray: '6 4' },
      },
    ])
    // Traced datasets are laid out taller, to hold their rows.
    expect(layout.at.get(OTHER)).toBeDefined()
  })
})
