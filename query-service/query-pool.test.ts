import { describe, expect, it } from 'vitest'
import { BusyError, createQueryPool } from './query-pool.js'

describe('query pool', () => {
  it('queues briefly, then refuses with Retry-After instead of piling up', async () => {
    const pool = createQueryPool({ maxRunning: 1, maxPerUser: 1, maxWaitMs: 50 })
    const release = await pool.acquire('alice')
    const waiting = pool.acquire('bob')
    expect(pool.stats()).toEqual({ running: 1, waiting: 1 })
    await expect(waiting).rejects.toBeInstanceOf(BusyError)
    release()
    const again = await pool.acquire('bob')
    again()
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 })
  })

  it('keeps one person from taking every slot', async () => {
    const pool = createQueryPool({ maxRunning: 3, maxPerUser: 2, maxWaitMs: 1_000 })
    const a1 = await pool.acquire('alice')
    await pool.acquire('alice')
    const third = pool.acquire('alice') // waits: alice holds her two slots
    const bob = await pool.acquire('bob') // but bob gets the free slot at once
    await expect(pool.acquire('alice')).rejects.toThrow('You already have 2 queries running')
    a1()
    const released = await third // alice's third runs once one of hers ends
    released()
    bob()
  })
})
