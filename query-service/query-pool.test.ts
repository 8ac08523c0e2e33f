import { describe, expect, it } from 'vitest'
import { BusyError, createQueryPool } from './query-pool.js'

describe('query pool', () => {
  it('queues briefly, then refuses with Retry-After instead of piling up', async () => {
    const pool = createQueryPool({ maxRunning: 1, maxPerUser: 1, maxWaitMs: 50 })
    const release = await pool.acquire('alice')
    const waiting = pool.acquire('bob')
    expect(pool.stats()).toEqual({ running: 1, waiting: 1 })
    const refusal = await waiting.catch((e: unknown) => e)
    expect(refusal).toBeInstanceOf(BusyError)
    expect(refusal).toMatchObject({ retryAfterSeconds: 2 })
    release()
    const again = await pool.acquire('bob')
    again()
    expect(pool.stats()).toEqual({ running: 0, waiting: 0 })
  })

  it('keeps one person from taking every slot, and from queueing more than one', async () => {
    const pool = createQueryPool({ maxRunning: 3, maxPerUser: 2, maxWaitMs: 1_000 })
    const a1 = await pool.acquire('alice')
    const a2 = await pool.acquire('alice')
    const third = pool.acquire('alice') // waits: alice holds her two slots
    const bob = await pool.acquire('bob') // but bob gets the free slot at once
    await expect(pool.acquire('alice')).rejects.toThrow('You already have 2 queries running')
    a1()
    a2()
    const released = await third // alice's third runs once hers end
    released()
    bob()
  })

  it('leaves room for others however long two people’s queries run', async () => {
    const pool = createQueryPool({ maxRunning: 4, maxPerUser: 2, maxWaitMs: 200 })
    // Alice and Bob start long queries, two each if they could.
    const held = [await pool.acquire('alice'), await pool.acquire('alice')]
    held.push(await pool.acquire('bob'))
    const bobsSecond = pool.acquire('bob')
    // The last slot is kept for someone who has nothing running: Carol gets it at once…
    held.push(await pool.acquire('carol'))
    // …while Bob's second waits and is refused, rather than taking the last slot.
    await expect(bobsSecond).rejects.toBeInstanceOf(BusyError)
    expect(pool.stats()).toEqual({ running: 4, waiting: 0 })
    for (const release of held) release()
  })

  it('serves waiting people in turn, not in arrival order', async () => {
    const pool = createQueryPool({ maxRunning: 1, maxPerUser: 1, maxWaitMs: 5_000 })
    const first = await pool.acquire('dave')
    const order: string[] = []
    const wait = (user: string) =>
      pool.acquire(user).then((release) => {
        order.push(user)
        release()
      })
    // Alice queues three queries (one at a time is her limit here), then Bob and Carol one each.
    const all = [wait('alice'), wait('alice'), wait('alice'), wait('bob'), wait('carol')]
    first()
    await Promise.all(all)
    expect(order).toEqual(['alice', 'bob', 'carol', 'alice', 'alice'])
  })

  it('refuses at once when its queue is full', async () => {
    const pool = createQueryPool({ maxRunning: 1, maxPerUser: 1, maxWaitMs: 5_000 })
    const release = await pool.acquire('someone')
    const queued = Array.from({ length: 32 }, (_, i) => pool.acquire(`user${i}`))
    const refusal = await pool.acquire('late').catch((e: unknown) => e)
    expect(refusal).toBeInstanceOf(BusyError)
    expect((refusal as Error).message).toMatch(/full \(1 queries running, 32 waiting\)/)
    release()
    for (const next of queued) (await next)()
  })
})
