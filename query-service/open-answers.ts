import { observeStream } from './observed-stream.js'
import { BusyError } from './query-pool.js'

/** An answer on its way to its client: reserved before its query runs, released when it ends. */
export interface OpenAnswer {
  /** The body to send: ended if its reader stalls, or if a grant it reads from ends. */
  body(inner: ReadableStream<Uint8Array>, grants: readonly string[]): ReadableStream<Uint8Array>
  /** Gives the reservation back when no body was sent (the query failed). */
  release(): void
}

/** A grant ended while an answer read from it was still on its way. */
export class GrantEndedError extends Error {
  constructor() {
    super('A grant this answer reads from has ended: the rest of it is no longer yours to read')
  }
}

/**
 * The answers on their way to their clients in this process. Once a worker has written an answer
 * it holds no slot of the pool, so a slow reader keeps no one else waiting; what it still holds
 * (its file) is bounded here instead: a person has at most `maxPerPerson` answers open at once,
 * each ended when its reader takes nothing for `stallMs`, and every answer reading from a grant
 * is ended once that grant ends (revoked or expired).
 */
export function createOpenAnswers(options: { maxPerPerson: number; stallMs: number }) {
  const open = new Map<string, Set<{ grants: readonly string[]; end: AbortController }>>()
  const count = (userId: string) => open.get(userId)?.size ?? 0

  return {
    /** Reserves one of the person's open answers, or refuses with 503 when they have them all. */
    reserve(userId: string): OpenAnswer {
      if (count(userId) >= options.maxPerPerson)
        throw new BusyError(
          `You have ${options.maxPerPerson} answers still on their way to you: read them (or close them) first`,
          2,
        )
      const entry = { grants: [] as readonly string[], end: new AbortController() }
      const mine = open.get(userId) ?? new Set()
      mine.add(entry)
      open.set(userId, mine)
      const release = () => {
        mine.delete(entry)
        if (mine.size === 0 && open.get(userId) === mine) open.delete(userId)
      }
      return {
        body(inner, grants) {
          entry.grants = grants
          return observeStream(inner, release, {
            stallMs: options.stallMs,
            signal: entry.end.signal,
          })
        },
        release,
      }
    },

    /** Ends the answers reading from grants no longer in force; answers how many. */
    endForEndedGrants(liveGrantIds: readonly string[]): number {
      const live = new Set(liveGrantIds)
      let ended = 0
      for (const answers of open.values())
        for (const answer of answers)
          if (answer.grants.some((id) => !live.has(id))) {
            answer.end.abort(new GrantEndedError())
            ended++
          }
      return ended
    },

    count,
  }
}

export type OpenAnswers = ReturnType<typeof createOpenAnswers>
