import { describe, expect, it } from 'vitest'
import { exitFailure } from './worker-process.js'

describe('a worker process ending during a job', () => {
  const worker = (killedFor?: 'deadline' | 'stop' | 'retired' | 'closing') => ({
    memoryCapBytes: 2.5e9,
    ...(killedFor ? { killedFor } : {}),
  })

  it('is a cancellation when we stopped it, or closed the workers', () => {
    for (const why of ['stop', 'closing'] as const)
      expect(exitFailure(worker(why), null, 'SIGKILL')).toEqual({
        kind: 'cancelled',
        message: 'cancelled',
      })
  })

  it('is the time limit, worded later by its job, when killed at its deadline', () => {
    expect(exitFailure(worker('deadline'), null, 'SIGKILL')).toEqual({
      kind: 'limit',
      limit: 'time',
      message: '',
    })
  })

  it('is the memory limit, naming the cap, when killed from outside', () => {
    expect(exitFailure(worker(), null, 'SIGKILL')).toEqual({
      kind: 'limit',
      limit: 'memory',
      message:
        "The query's process was killed (SIGKILL) from outside it: by the machine running out of memory, or by an operator. Try again; if it happens again, narrow the query (it may use 2.5 GB)",
    })
  })

  it('is the memory limit, naming the cap and how it ended, when it stopped by itself', () => {
    expect(exitFailure(worker(), 134, null)).toEqual({
      kind: 'limit',
      limit: 'memory',
      message:
        "The query's process stopped (exit 134), most likely because it needed more than the 2.5 GB a query may use: aggregate or filter before joining or sorting, or build smaller lists and strings",
    })
    expect(exitFailure(worker('retired'), null, 'SIGABRT').message).toMatch(
      /^The query's process stopped \(SIGABRT\)/,
    )
  })
})
