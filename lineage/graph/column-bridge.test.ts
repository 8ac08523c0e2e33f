import { describe, expect, it } from 'vitest'
import { bridgeColumns, type DatasetWriters } from './column-bridge.js'
import { type ColumnEdge, type ColumnEdgeSource, walkColumns } from './column-walk.js'
import { type EntityId, visibilityOf } from './entity-id.js'

// Our own pipelines' story: the feed delivery is copied to staging by an ingest job that
// reports no column lineage; fusion reports its columns from staging and a reference table.
const FEED: EntityId = { namespace: 'feeds://dos', name: 'dos_persons' }
const STAGED: EntityId = { namespace: 'portal.staging', name: 'dos_persons' }
const REFERENCE: EntityId = { namespace: 'portal.reference', name: 'ref_planning_areas' }
const PUBLISHED: EntityId = { namespace: 'portal', name: 'person-address-pa' }
const INGEST: EntityId = { namespace: 'portal', name: 'ingest.dos_persons' }
const FUSE: EntityId = { namespace: 'portal', name: 'fuse.person_address_pa' }
const HASHED = [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }]
const IDENTITY = [{ type: 'DIRECT', subtype: 'IDENTITY' }]
const ASSUMED = [
  {
    type: 'DIRECT',
    subtype: 'IDENTITY',
    description:
      'Assumed: ingest.dos_persons reports no column lineage, and reads a column of the same name',
  },
]
const everything = () => true

const REPORTED: ColumnEdge[] = [
  {
    dataset: PUBLISHED,
    field: 'person_key',
    input: STAGED,
    inputField: 'uinfin',
    transformations: HASHED,
  },
  {
    dataset: PUBLISHED,
    field: 'planning_area_name',
    input: REFERENCE,
    inputField: 'name',
    transformations: IDENTITY,
  },
]
const WRITERS: DatasetWriters[] = [
  {
    dataset: PUBLISHED,
    hasColumnLineage: true,
    inputs: [{ dataset: STAGED, job: FUSE, fields: ['uinfin'] }],
  },
  {
    dataset: STAGED,
    hasColumnLineage: false,
    inputs: [{ dataset: FEED, job: INGEST, fields: null }],
  },
]

function source(edges = REPORTED, writers = WRITERS): ColumnEdgeSource {
  const key = (d: EntityId) => `${d.namespace}|${d.name}`
  return {
    async columnEdgesOf(frontier) {
      return edges.filter((e) =>
        frontier.some(
          (r) => key(r.dataset) === key(e.dataset) && (!r.field || r.field === e.field),
        ),
      )
    },
    async writersOf(datasets) {
      return writers.filter((w) => datasets.some((d) => key(d) === key(w.dataset)))
    },
  }
}

describe('tracing a column through every hop back to the feed', () => {
  it('follows a published column through staging to the feed, the unreported hop marked assumed', async () => {
    const nodes = await walkColumns(
      source(),
      { dataset: PUBLISHED, field: 'person_key' },
      { depth: 20, visible: visibilityOf(everything) },
    )
    expect(nodes.map((n) => [n.id, n.data.inputFields])).toEqual([
      [
        'datasetField:portal:person-address-pa:person_key',
        [
          {
            namespace: 'portal.staging',
            dataset: 'dos_persons',
            field: 'uinfin',
            transformations: HASHED,
            assumed: false,
          },
        ],
      ],
      [
        'datasetField:portal.staging:dos_persons:uinfin',
        [
          {
            namespace: 'feeds://dos',
            dataset: 'dos_persons',
            field: 'uinfin',
            transformations: ASSUMED,
            assumed: true,
          },
        ],
      ],
      ['datasetField:feeds://dos:dos_persons:uinfin', []],
    ])
  })

  it('lists a source outside the dataset graph (a reference table) as an input all the same', async () => {
    const nodes = await walkColumns(
      source(),
      { dataset: PUBLISHED, field: 'planning_area_name' },
      { depth: 20, visible: visibilityOf(everything) },
    )
    expect(nodes.map((n) => n.id)).toEqual([
      'datasetField:portal:person-address-pa:planning_area_name',
      'datasetField:portal.reference:ref_planning_areas:name',
    ])
  })

  it('ends a cycle of assumed hops however deep the ask', async () => {
    const a = { namespace: 'w', name: 'a' }
    const b = { namespace: 'w', name: 'b' }
    const job = { namespace: 'w', name: 'copy' }
    const nodes = await walkColumns(
      source(
        [],
        [
          { dataset: a, hasColumnLineage: false, inputs: [{ dataset: b, job, fields: ['x'] }] },
          { dataset: b, hasColumnLineage: false, inputs: [{ dataset: a, job, fields: ['x'] }] },
        ],
      ),
      { dataset: a, field: 'x' },
      { depth: 20, visible: visibilityOf(everything) },
    )
    expect(nodes.map((n) => [n.id, n.inEdges.map((e) => e.origin)])).toEqual([
      ['datasetField:w:a:x', ['datasetField:w:b:x']],
      ['datasetField:w:b:x', ['datasetField:w:a:x']],
    ])
  })
})

describe('bridging a hop whose job reported no column lineage', () => {
  const column = { dataset: STAGED, field: 'uinfin' }
  const other = { namespace: 'feeds://sla', name: 'sla_addresses' }

  it('never bridges a dataset whose jobs reported column lineage', () => {
    const writers = [{ ...WRITERS[1], hasColumnLineage: true } as DatasetWriters]
    expect(bridgeColumns([column], writers, everything)).toEqual([])
  })

  it('takes the inputs whose schema lists the name, whatever else the job reads', () => {
    const writers: DatasetWriters[] = [
      {
        dataset: STAGED,
        hasColumnLineage: false,
        inputs: [
          { dataset: FEED, job: INGEST, fields: ['uinfin', 'name'] },
          { dataset: other, job: INGEST, fields: ['postal_code'] },
        ],
      },
    ]
    expect(bridgeColumns([column], writers, everything).map((e) => e.input)).toEqual([FEED])
  })

  it('guesses nothing between several inputs that state no schema, or past a hidden one', () => {
    const unstated: DatasetWriters[] = [
      {
        dataset: STAGED,
        hasColumnLineage: false,
        inputs: [
          { dataset: FEED, job: INGEST, fields: null },
          { dataset: other, job: INGEST, fields: null },
        ],
      },
    ]
    expect(bridgeColumns([column], unstated, everything)).toEqual([])
    expect(bridgeColumns([column], WRITERS, (d) => d.namespace !== 'feeds://dos')).toEqual([])
  })
})
