import { describe, expect, it } from 'vitest'
import { coalesce } from './coalesced-run.js'

/** A task that takes `ms`, recording when each run starts and ends. */
function timedTask(ms: number) {
  const log: string[] = []
  let runs = 0
  const task = async () => {
    const run = ++runs
    log.push(`start ${run}`)
    await new Promise((resolve) => setTimeout(resolve, ms))
    log.push(`end ${run}`)
  }
  return { task, log, runs: () => runs }
}

describe('a coalesced run', () => {
  it('runs a burst of requests as the run under way and one more, never two at once', async () => {
    const { task, log, runs } = timedTask(20)
    const refresh = coalesce(task)
    const burst = Array.from({ length: 50 }, () => refresh.request())
    await Promise.all(burst)
    expect(runs()).toBe(2)
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
  })

  it('answers each request after a run that started after it', async () => {
    const { task, log } = timedTask(20)
    const refresh = coalesce(task)
    const first = refresh.request()
    await new Promise((resolve) => setTimeout(resolve, 5))
    // Asked while run 1 reads: it is answered only once run 2 has ended.
    await refresh.request()
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2'])
    await first
    // Asked when nothing runs: a run of its own, at once.
    await refresh.request()
    expect(log.slice(4)).toEqual(['start 3', 'end 3'])
  })

  it('tells the requests a failed run answers, goes on, and settles once nothing runs or waits', async () => {
    let calls = 0
    const refresh = coalesce(async () => {
      calls++
      if (calls === 1) throw new Error('the first run fails')
    })
    // A requester may stop listening (its own work failed first): the error is not unhandled.
    const unhandled: unknown[] = []
    const listener = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', listener)
    void refresh.request()
    await refresh.settled()
    await new Promise((resolve) => setTimeout(resolve, 10))
    process.off('unhandledRejection', listener)
    expect(unhandled).toEqual([])
    calls = 0
    await expect(refresh.request()).rejects.toThrow('the first run fails')
    await refresh.request()
    expect(calls).toBe(2)
    const later = [refresh.request(), refresh.request()]
    await refresh.settled()
    await Promise.all(later)
    expect(calls).toBe(4)
  })
})
