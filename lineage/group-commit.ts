/** What became of one item of a group: its result, or the error its caller hears. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown }

/** Hands items to a committer in groups; each caller waits for its own item's outcome. */
export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>
}

/**
 * Group commit: items that arrive while a group is being committed wait, and go together in the
 * next group, so N concurrent writers cost about one transaction, not N (the round trips and the
 * commit are shared; the audit chain's lock is taken once). An item arriving when nothing is in
 * flight waits only for the current turn of the event loop, so those arriving together share the
 * first group too. One group is in flight at a time.
 *
 * `commit` answers each item of a group (in order); if it throws, every item of the group gets
 * its error.
 */
export function createGroupCommit<I, O>(
  commit: (items: readonly I[]) => Promise<readonly Outcome<O>[]>,
  options: {
    maxItems: number
    /** With `sizeOf`, a group holds at most this much (and always at least one item). */
    maxSize?: number
    sizeOf?: (item: I) => number
  },
): GroupCommit<I, O> {
  type Waiting = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }
  const queue: Waiting[] = []
  let draining = false

  async function settle(group: readonly Waiting[]) {
    let outcomes: readonly Outcome<O>[]
    try {
      outcomes = await commit(group.map((w) => w.item))
    } catch (error) {
      outcomes = group.map(() => ({ ok: false, error }))
    }
    for (const [i, waiting] of group.entries()) {
      const outcome = outcomes[i]
      if (outcome?.ok) waiting.resolve(outcome.value)
      else waiting.reject(outcome ? outcome.error : new Error('The group commit gave no outcome'))
    }
  }

  /** How many of the queue's first items the next group takes. */
  function groupLength() {
    const { maxItems, maxSize = Number.POSITIVE_INFINITY, sizeOf } = options
    if (!sizeOf) return maxItems
    let size = 0
    let length = 0
    for (const waiting of queue) {
      size += sizeOf(waiting.item)
      if (length >= maxItems || (length > 0 && size > maxSize)) break
      length++
    }
    return length
  }

  async function drain() {
    draining = true
    await new Promise((resolve) => setImmediate(resolve))
    while (queue.length > 0) await settle(queue.splice(0, groupLength()))
    draining = false
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!draining) void drain()
      })
    },
  }
}
