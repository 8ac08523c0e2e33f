import { describe, expect, it } from 'vitest'
import type { DatasetWriters } from './column-bridge.js'
import {
  type ColumnEdge,
  type ColumnEdgeSource,
  type ColumnRef,
  typeColumns,
  walkColumns,
} from './column-walk.js'
import { type EntityId, visibilityOf } from './entity-id.js'
import { MAX_DEPTH } from './walk.js'

const dataset = (name: string): EntityId => ({ namespace: 'warehouse', name })
const IDENTITY = [{ type: 'DIRECT', subtype: 'IDENTITY' }]
const HASHED = [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }]
/** `to`.`field` is made from `from`.`inputField`. */
const made = (
  [to, field]: [string, string],
  [from, inputField]: [string, string],
  transformations: unknown[] = IDENTITY,
): ColumnEdge => ({
  dataset: dataset(to),
  field,
  input: dataset(from),
  inputField,
  transformations,
})
const everything = visibilityOf(() => true)

/** The column edges in memory, and the jobs writing datasets; remembers each frontier asked. */
function memoryColumnEdges(
  edges: readonly ColumnEdge[],
  writers: readonly DatasetWriters[] = [],
): ColumnEdgeSource & { asked: ColumnRef[][] } {
  const asked: ColumnRef[][] = []
  return {
    asked,
    async writersOf(datasets) {
      return writers.filter((w) => datasets.some((d) => d.name === w.dataset.name))
    },
    async columnEdgesOf(frontier) {
      asked.push([...frontier])
      return edges.filter((e) =>
        frontier.some(
          (ref) =>
            ref.dataset.name === e.dataset.name &&
            ref.dataset.namespace === e.dataset.namespace &&
            (!ref.field || ref.field === e.field),
        ),
      )
    },
  }
}

/** Each column's id with the ids of the columns it is made from, in the walk's order. */
const inputsOf = (nodes: Awaited<ReturnType<typeof walkColumns>>) =>
  Object.fromEntries(nodes.map((n) => [n.id, n.inEdges.map((e) => e.origin)]))

// report.person_key ← staged.person_key (hashed) ← raw.uinfin
const CHAIN = [
  made(['report', 'person_key'], ['staged', 'person_key']),
  made(['staged', 'person_key'], ['raw', 'uinfin'], HASHED),
]

describe('walking column lineage: hops and depth', () => {
  it('traces a column across several hops, with how each is made from the next', async () => {
    const nodes = await walkColumns(
      memoryColumnEdges(CHAIN),
      { dataset: dataset('report'), field: 'person_key' },
      { depth: 5, visible: everything },
    )
    expect(nodes).toEqual([
      {
        id: 'datasetField:warehouse:report:person_key',
        type: 'DATASET_FIELD',
        data: {
          namespace: 'warehouse',
          dataset: 'report',
          field: 'person_key',
          fieldType: null,
          inputFields: [
            {
              namespace: 'warehouse',
              dataset: 'staged',
              field: 'person_key',
              transformations: IDENTITY,
              assumed: false,
            },
          ],
        },
        inEdges: [
          {
            origin: 'datasetField:warehouse:staged:person_key',
            destination: 'datasetField:warehouse:report:person_key',
          },
        ],
        outEdges: [],
      },
      {
        id: 'datasetField:warehouse:staged:person_key',
        type: 'DATASET_FIELD',
        data: {
          namespace: 'warehouse',
          dataset: 'staged',
          field: 'person_key',
          fieldType: null,
          inputFields: [
            {
              namespace: 'warehouse',
              dataset: 'raw',
              field: 'uinfin',
              transformations: HASHED,
              assumed: false,
            },
          ],
        },
        inEdges: [
          {
            origin: 'datasetField:warehouse:raw:uinfin',
            destination: 'datasetField:warehouse:staged:person_key',
          },
        ],
        outEdges: [
          {
            origin: 'datasetField:warehouse:staged:person_key',
            destination: 'datasetField:warehouse:report:person_key',
          },
        ],
      },
      {
        id: 'datasetField:warehouse:raw:uinfin',
        type: 'DATASET_FIELD',
        data: {
          namespace: 'warehouse',
          dataset: 'raw',
          field: 'uinfin',
          fieldType: null,
          inputFields: [],
        },
        inEdges: [],
        outEdges: [
          {
            origin: 'datasetField:warehouse:raw:uinfin',
            destination: 'datasetField:warehouse:staged:person_key',
          },
        ],
      },
    ])
  })

  it('goes no further than the depth asked', async () => {
    const nodes = await walkColumns(
      memoryColumnEdges(CHAIN),
      { dataset: dataset('report'), field: 'person_key' },
      { depth: 1, visible: everything },
    )
    expect(inputsOf(nodes)).toEqual({
      'datasetField:warehouse:report:person_key': ['datasetField:warehouse:staged:person_key'],
      'datasetField:warehouse:staged:person_key': [],
    })
  })

  it(`stops after ${MAX_DEPTH} hops however deep the ask`, async () => {
    // t0.c ← t1.c ← t2.c ← … ← t30.c
    const source = memoryColumnEdges(
      Array.from({ length: 30 }, (_, i) => made([`t${i}`, 'c'], [`t${i + 1}`, 'c'])),
    )
    const nodes = await walkColumns(
      source,
      { dataset: dataset('t0'), field: 'c' },
      { depth: 1000, visible: everything },
    )
    expect(nodes.map((n) => n.data.dataset)).toEqual(
      Array.from({ length: MAX_DEPTH + 1 }, (_, i) => `t${i}`),
    )
    expect(source.asked).toHaveLength(MAX_DEPTH)
  })
})

describe('walking column lineage: whole datasets, fan-in, cycles, visibility and types', () => {
  it('traces every column of a dataset when no field (or an empty one) is named', async () => {
    const edges = [
      ...CHAIN,
      made(['report', 'postcode'], ['staged', 'postcode']),
      made(['report', 'postcode'], ['geo', 'postal_code']),
    ]
    const expected = {
      'datasetField:warehouse:report:person_key': ['datasetField:warehouse:staged:person_key'],
      'datasetField:warehouse:staged:person_key': ['datasetField:warehouse:raw:uinfin'],
      'datasetField:warehouse:raw:uinfin': [],
      'datasetField:warehouse:report:postcode': [
        'datasetField:warehouse:staged:postcode',
        'datasetField:warehouse:geo:postal_code',
      ],
      'datasetField:warehouse:staged:postcode': [],
      'datasetField:warehouse:geo:postal_code': [],
    }
    for (const field of [undefined, '']) {
      const nodes = await walkColumns(
        memoryColumnEdges(edges),
        { dataset: dataset('report'), field },
        { depth: 5, visible: everything },
      )
      expect(inputsOf(nodes)).toEqual(expected)
    }
  })

  it('asks for a whole frontier in one call, however wide the fan-in', async () => {
    const source = memoryColumnEdges([
      made(['report', 'total'], ['a', 'x']),
      made(['report', 'total'], ['b', 'y']),
      made(['report', 'total'], ['c', 'z']),
      made(['c', 'z'], ['d', 'w']),
    ])
    const nodes = await walkColumns(
      source,
      { dataset: dataset('report'), field: 'total' },
      { depth: 5, visible: everything },
    )
    expect(nodes.map((n) => n.id)).toEqual([
      'datasetField:warehouse:report:total',
      'datasetField:warehouse:a:x',
      'datasetField:warehouse:b:y',
      'datasetField:warehouse:c:z',
      'datasetField:warehouse:d:w',
    ])
    expect(source.asked).toEqual([
      [{ dataset: dataset('report'), field: 'total' }],
      [
        { dataset: dataset('a'), field: 'x' },
        { dataset: dataset('b'), field: 'y' },
        { dataset: dataset('c'), field: 'z' },
      ],
      [{ dataset: dataset('d'), field: 'w' }],
    ])
  })

  it('ends a cycle where a column already traced comes round again', async () => {
    const source = memoryColumnEdges([made(['a', 'x'], ['b', 'y']), made(['b', 'y'], ['a', 'x'])])
    const nodes = await walkColumns(
      source,
      { dataset: dataset('a'), field: 'x' },
      { depth: 20, visible: everything },
    )
    expect(inputsOf(nodes)).toEqual({
      'datasetField:warehouse:a:x': ['datasetField:warehouse:b:y'],
      'datasetField:warehouse:b:y': ['datasetField:warehouse:a:x'],
    })
    expect(nodes.map((n) => n.data.inputFields.length)).toEqual([1, 1])
    expect(source.asked).toHaveLength(2)
  })

  it('leaves out columns of datasets the caller may not see, and what lies beyond them', async () => {
    const nodes = await walkColumns(
      memoryColumnEdges([
        ...CHAIN,
        made(['report', 'person_key'], ['secret', 'nric']),
        made(['secret', 'nric'], ['vault', 'nric']),
      ]),
      { dataset: dataset('report'), field: 'person_key' },
      { depth: 5, visible: visibilityOf((d) => d.name !== 'secret') },
    )
    expect(inputsOf(nodes)).toEqual({
      'datasetField:warehouse:report:person_key': ['datasetField:warehouse:staged:person_key'],
      'datasetField:warehouse:staged:person_key': ['datasetField:warehouse:raw:uinfin'],
      'datasetField:warehouse:raw:uinfin': [],
    })
  })

  it("types each column from its dataset's schema, null where it says nothing", async () => {
    const nodes = await walkColumns(
      memoryColumnEdges(CHAIN),
      { dataset: dataset('report'), field: 'person_key' },
      { depth: 5, visible: everything },
    )
    const typed = typeColumns(nodes, [
      { id: dataset('report'), fields: [{ name: 'person_key', type: 'VARCHAR' }] },
      { id: dataset('staged'), fields: [{ name: 'person_key', type: '' }] },
    ])
    expect(typed.map((n) => [n.id, n.data.fieldType])).toEqual([
      ['datasetField:warehouse:report:person_key', 'VARCHAR'],
      ['datasetField:warehouse:staged:person_key', null],
      ['datasetField:warehouse:raw:uinfin', null],
    ])
  })
})
