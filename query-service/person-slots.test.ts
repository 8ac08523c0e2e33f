import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../testing/index.js'
import { type QueryServiceTables, queryServiceMigrations } from './migrations.js'
import { createPersonSlots, freeSlotsOf } from './person-slots.js'
import { BusyError, createQueryPool } from './query-pool.js'

// Two pools on one real PostgreSQL database stand for two replicas: a person's limit counts
// their queries on both.
describe("a person's query slots across replicas", () => {
  let test: TestDatabase<QueryServiceTables>
  const limits = { maxRunning: 4, maxPerUser: 2, maxWaitMs: 600 }
  const replica = (processId: string) =>
    createQueryPool(limits, createPersonSlots(test.db, { maxPerUser: 2, processId }))

  beforeAll(async () => {
    test = await openTestDatabase('postgres', {
      postgresUrl: inject('postgresUrl'),
      migrations: [queryServiceMigrations],
    })
  })
  afterAll(async () => test?.close())

  it('refuses a third query on another replica, and runs it once one of the two ends', async () => {
    const a = replica('p_a')
    const b = replica('p_b')
    const first = await a.acquire('alice')
    await a.acquire('alice')
    // Bob is not held back by Alice's slots.
    const bob = await b.acquire('bob')
    await expect(b.acquire('alice')).rejects.toBeInstanceOf(BusyError)
    expect(a.stats().running + b.stats().running).toBe(3)
    // B's attempt waits without holding one of its own slots; it runs once A frees one.
    const third = b.acquire('alice')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(b.stats().running).toBe(1)
    first()
    const released = await third
    expect(b.stats().running).toBe(2)
    released()
    bob()
  })

  it('takes exactly the limit when many replicas try at once', async () => {
    const pools = ['p_1', 'p_2', 'p_3', 'p_4', 'p_5', 'p_6'].map(replica)
    const tries = await Promise.allSettled(pools.map((pool) => pool.acquire('carol')))
    expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(2)
    expect(tries.filter((t) => t.status === 'rejected')).toHaveLength(4)
    const rows = await test.db
      .selectFrom('query_slots')
      .selectAll()
      .where('user_id', '=', 'carol')
      .execute()
    expect(rows.map((r) => r.slot).sort()).toEqual([0, 1])
    // A replica that died holding them: recovery frees its slots, and Carol may run again.
    expect(await freeSlotsOf(test.db, [...new Set(rows.map((r) => r.process_id ?? ''))])).toBe(2)
    const again = await replica('p_7').acquire('carol')
    again()
  })
})
