import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { transaction } from './deadlock-retry.js'

/** A database whose transactions fail with these errors first, then run the work. */
function failingFirst(errors: unknown[]) {
  let attempts = 0
  const db = {
    transaction: () => ({
      execute: async (work: (trx: unknown) => Promise<unknown>) => {
        attempts++
        const error = errors.shift()
        if (error) throw error
        return work('trx')
      },
    }),
  }
  return { db: db as unknown as Kysely<unknown>, attempts: () => attempts }
}

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' })

describe('transactions chosen as a deadlock victim', () => {
  it('are run again, and succeed', async () => {
    const { db, attempts } = failingFirst([deadlock, deadlock])
    expect(await transaction(db, async () => 'done')).toBe('done')
    expect(attempts()).toBe(3)
  })

  it('give up after a few attempts, and never retry other errors', async () => {
    const stuck = failingFirst([deadlock, deadlock, deadlock, deadlock, deadlock])
    await expect(transaction(stuck.db, async () => 'done')).rejects.toThrow('deadlock detected')
    expect(stuck.attempts()).toBe(4)
    const refused = failingFirst([Object.assign(new Error('refused'), { code: '23505' })])
    await expect(transaction(refused.db, async () => 'done')).rejects.toThrow('refused')
    expect(refused.attempts()).toBe(1)
  })
})
