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

/** Waiting queries beyond this many per running slot are refused at once, not queued. */
const QUEUE_PER_SLOT = 32

interface Waiter {
  user: string
  grant: () => void
}

/**
 * The fair share of a replica's query slots. Nobody holds more than `maxPerUser`, and the more
 * slots a person holds the more must stay free for others: a person holding k slots takes another
 * only while more than k are free, so two people running long queries still leave room for the
 * rest. Waiting queries are served round robin by person (one of each waiting person in turn,
 * each person's own in arrival order), for a short while, and are then refused with a 503 and
 * Retry-After rather than left hanging; so is anyone arriving to a full queue.
 */
export function createQueryPool(
  limits: PoolLimits,
  /** The person's slots across every replica; without it the per-person limit is this process's. */
  shared?: Pick<PersonSlots, 'claim'>,
) {
  let running = 0
  const held = new Map<string, number>()
  // Each waiting person's queue, in the order persons take turns: whoever is served goes last.
  const queues = new Map<string, Waiter[]>()
  const waitingCount = () => [...queues.values()].reduce((n, q) => n + q.length, 0)
  const retryAfter = Math.ceil(limits.maxWaitMs / 1000) + 1

  const mayRun = (user: string) => {
    const mine = held.get(user) ?? 0
    return mine < limits.maxPerUser && limits.maxRunning - running > mine
  }
  const take = (user: string) => {
    running++
    held.set(user, (held.get(user) ?? 0) + 1)
  }
  /** Grants free slots to waiting persons in turn, skipping those who may not take one now. */
  const wake = () => {
    for (;;) {
      const user = [...queues.keys()].find(mayRun)
      const queue = user === undefined ? undefined : queues.get(user)
      const next = queue?.shift()
      if (user === undefined || !queue || !next) return
      queues.delete(user)
      if (queue.length > 0) queues.set(user, queue)
      take(user)
      next.grant()
    }
  }
  const leave = (waiter: Waiter) => {
    const queue = queues.get(waiter.user) ?? []
    const at = queue.indexOf(waiter)
    if (at < 0) return false
    queue.splice(at, 1)
    if (queue.length === 0) queues.delete(waiter.user)
    return true
  }

  /** A slot in this process: the process's own limit, and the person's within it. */
  async function acquireHere(user: string): Promise<() => void> {
    if ((held.get(user) ?? 0) >= limits.maxPerUser && queues.has(user))
      throw new BusyError(
        `You already have ${limits.maxPerUser} queries running and one waiting: wait for them, or cancel one`,
        2,
      )
    if (queues.size === 0 && mayRun(user)) take(user)
    else {
      if (waitingCount() >= limits.maxRunning * QUEUE_PER_SLOT)
        throw new BusyError(
          `The query service is full (${running} queries running, ${waitingCount()} waiting): try again in a few seconds`,
          retryAfter,
        )
      await new Promise<void>((resolve, reject) => {
        // Granted in its turn (the timer goes, so it keeps nothing alive) or refused at the deadline.
        const waiter: Waiter = {
          user,
          grant: () => {
            clearTimeout(deadline)
            resolve()
          },
        }
        queues.set(user, [...(queues.get(user) ?? []), waiter])
        const deadline = setTimeout(() => {
          if (!leave(waiter)) return
          reject(
            new BusyError(
              `The query service is busy (${running} queries running): try again in a few seconds`,
              retryAfter,
            ),
          )
        }, limits.maxWaitMs)
        wake()
      })
    }
    let released = false
    return () => {
      if (released) return
      released = true
      running--
      held.set(user, (held.get(user) ?? 1) - 1)
      if (held.get(user) === 0) held.delete(user)
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
    stats: () => ({ running, waiting: waitingCount() }),
  }
}

export type QueryPool = ReturnType<typeof createQueryPool>
