import { UnavailableError } from '../core/index.js'
import type { PersonSlots } from './person-slots.js'

/** How many queries run at once, per person, and how long a newcomer may wait for a turn. */
export interface PoolLimits {
  maxRunning: number
  maxPerUser: number
  maxWaitMs: number
}

/** Refused for now: the message says so, and when to retry. */
export class BusyError extends UnavailableError {
  declare readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super(message, { retryAfterSeconds })
  }
}

/**
 * A bounded pool of query slots. Excess queries wait their turn in arrival order for a short
 * while and are then refused (503 with Retry-After) rather than piling up in memory; nobody holds
 * more than `maxPerUser` slots, so one person's burst cannot starve the others.
 */
export function createQueryPool(
  limits: PoolLimits,
  /** The person's slots across every replica; without it the per-person limit is this process's. */
  shared?: Pick<PersonSlots, 'claim'>,
) {
  let running = 0
  const perUser = new Map<string, number>()
  const waiting: { user: string; grant: () => void }[] = []

  const mayRun = (user: string) =>
    running < limits.maxRunning && (perUser.get(user) ?? 0) < limits.maxPerUser
  const take = (user: string) => {
    running++
    perUser.set(user, (perUser.get(user) ?? 0) + 1)
  }
  const wake = () => {
    for (let i = 0; i < waiting.length; i++) {
      const next = waiting[i]
      if (next && mayRun(next.user)) {
        waiting.splice(i, 1)
        take(next.user)
        next.grant()
        i--
      }
    }
  }

  /** A slot in this process: the process's own limit, and the person's within it. */
  async function acquireHere(user: string): Promise<() => void> {
    if ((perUser.get(user) ?? 0) >= limits.maxPerUser && waiting.some((w) => w.user === user))
      throw new BusyError(
        `You already have ${limits.maxPerUser} queries running and one waiting: wait for them, or cancel one`,
        2,
      )
    // Runs at once unless someone who arrived earlier could use the free slot: a person held
    // back by their own per-person limit does not hold back anyone else.
    if (mayRun(user) && !waiting.some((w) => mayRun(w.user))) take(user)
    else
      await new Promise<void>((resolve, reject) => {
        // Granted in turn (the timer goes, so it keeps nothing alive) or refused at the deadline.
        const entry = {
          user,
          grant: () => {
            clearTimeout(deadline)
            resolve()
          },
        }
        waiting.push(entry)
        const deadline = setTimeout(() => {
          const at = waiting.indexOf(entry)
          if (at < 0) return
          waiting.splice(at, 1)
          reject(
            new BusyError(
              `The query service is busy (${running} queries running): try again in a few seconds`,
              Math.ceil(limits.maxWaitMs / 1000) + 1,
            ),
          )
        }, limits.maxWaitMs)
      })
    let released = false
    return () => {
      if (released) return
      released = true
      running--
      perUser.set(user, (perUser.get(user) ?? 1) - 1)
      wake()
    }
  }

  return {
    /**
     * Waits for a slot here and, with shared slots, one of the person's on any replica (their
     * queries elsewhere count); the returned function gives both back (call it exactly once).
     */
    async acquire(user: string): Promise<() => void> {
      const deadline = Date.now() + limits.maxWaitMs
      for (;;) {
        const release = await acquireHere(user)
        if (!shared) return release
        let free: (() => void) | undefined
        try {
          free = await shared.claim(user)
        } catch (error) {
          release()
          throw error
        }
        if (free) {
          const freeSlot = free
          return () => {
            release()
            freeSlot()
          }
        }
        // All the person's slots are taken on other replicas: give this one back meanwhile.
        release()
        if (Date.now() >= deadline)
          throw new BusyError(
            `You already have ${limits.maxPerUser} queries or downloads running on the service's servers: wait for them, or cancel one`,
            2,
          )
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  }
}

export type QueryPool = ReturnType<typeof createQueryPool>
