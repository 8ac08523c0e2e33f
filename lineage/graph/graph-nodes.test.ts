import { describe, expect, it } from 'vitest'
import { graphNodes, schemaFields } from './graph-nodes.js'
import { summariseRun } from './run-summary.js'

const at = (s: number) => new Date(Date.UTC(2026, 10, 22, 1, 0, s))
const raw = { namespace: 'warehouse', name: 'raw' }
const clean = { namespace: 'airflow', name: 'clean' }
const schema = {
  _producer: 'p',
  _schemaURL: 's',
  fields: [{ name: 'uin', type: 'VARCHAR', description: 'NRIC', tags: [] }],
}

describe('graph nodes', () => {
  it('gives each node its edges in and out, and each job its type and latest run', () => {
    const edges = [{ origin: 'dataset:warehouse:raw', destination: 'job:airflow:clean' }]
    const run = summariseRun({
      id: 'r1',
      state: 'COMPLETED',
      startedAt: at(0),
      endedAt: at(5),
      outputs: [],
      quality: [],
      facets: {},
    })
    const nodes = graphNodes(
      edges,
      [{ id: raw, ...raw, fields: [], facets: {}, createdAt: at(0), updatedAt: at(1) }],
      [
        { id: clean, facets: { jobType: { _producer: 'p', _schemaURL: 's', jobType: 'QUERY' } } },
        { id: { namespace: 'airflow', name: 'idle' }, facets: {} },
      ],
      new Map([[JSON.stringify(['airflow', 'clean']), run]]),
    )
    expect(nodes).toEqual([
      {
        id: 'dataset:warehouse:raw',
        type: 'DATASET',
        data: {
          id: raw,
          ...raw,
          type: 'DATASET',
          fields: [],
          facets: {},
          createdAt: at(0),
          updatedAt: at(1),
        },
        inEdges: [],
        outEdges: edges,
      },
      {
        id: 'job:airflow:clean',
        type: 'JOB',
        data: {
          id: clean,
          ...clean,
          type: 'QUERY',
          facets: { jobType: { _producer: 'p', _schemaURL: 's', jobType: 'QUERY' } },
          latestRun: { ...run, durationMs: 5000 },
        },
        inEdges: edges,
        outEdges: [],
      },
      {
        id: 'job:airflow:idle',
        type: 'JOB',
        data: {
          id: { namespace: 'airflow', name: 'idle' },
          namespace: 'airflow',
          name: 'idle',
          type: 'JOB',
          facets: {},
          latestRun: null,
        },
        inEdges: [],
        outEdges: [],
      },
    ])
  })

  it("lists a dataset's columns from its schema facet, and none without one", () => {
    expect(schemaFields({ schema })).toEqual([
      { name: 'uin', type: 'VARCHAR', description: 'NRIC' },
    ])
    expect(schemaFields({})).toEqual([])
  })

  it('keeps the newest entry per dataset of what a run reports', () => {
    const run = summariseRun({
      id: 'r2',
      state: 'RUNNING',
      startedAt: at(0),
      endedAt: null,
      outputs: [
        { ...raw, rowCount: 1 },
        { namespace: 'warehouse', name: 'other', rowCount: 7 },
        { ...raw, rowCount: 3 },
      ],
      quality: [],
      facets: {},
    })
    expect(run.durationMs).toBeNull()
    expect(run.outputs).toEqual([
      { ...raw, rowCount: 3, size: null },
      { namespace: 'warehouse', name: 'other', rowCount: 7, size: null },
    ])
  })
})
