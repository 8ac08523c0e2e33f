import { describe, expect, it } from 'vitest'
import { explainFailure, type JobFailure, type WorkerJob } from './worker-protocol.js'

const job = (format: WorkerJob['format']): WorkerJob => ({
  sql: 'SELECT 1',
  views: [],
  format,
  answerPath: '/nowhere/answer',
  timeoutMs: 2_500,
  maxRows: 10,
  maxJsonBytes: 4_000_000,
})

describe('a failure as the caller is told it', () => {
  it('names the time limit when the worker was killed at its deadline', () => {
    expect(explainFailure({ kind: 'limit', limit: 'time', message: '' }, job('csv'))).toEqual({
      kind: 'limit',
      limit: 'time',
      message:
        'The query ran past the time limit of 2.5 s and was stopped: narrow it (filter, aggregate, LIMIT) and try again',
    })
  })

  it('keeps the words of a time limit the worker met itself', () => {
    const failure: JobFailure = { kind: 'limit', limit: 'time', message: 'worded by the worker' }
    expect(explainFailure(failure, job('json'))).toEqual(failure)
  })

  it('names the JSON byte limit too when a JSON answer ran out of memory', () => {
    const failure: JobFailure = { kind: 'limit', limit: 'memory', message: 'Out of memory' }
    expect(explainFailure(failure, job('json'))).toEqual({
      kind: 'limit',
      limit: 'memory',
      message:
        'Out of memory (a JSON answer may hold at most 4 MB anyway: ask for CSV, Parquet or Arrow for more)',
    })
    expect(explainFailure(failure, job('parquet'))).toEqual(failure)
  })

  it('leaves every other failure as it is', () => {
    const failure: JobFailure = { kind: 'refused', message: 'Not a SELECT', position: 0 }
    expect(explainFailure(failure, job('json'))).toEqual(failure)
  })
})
