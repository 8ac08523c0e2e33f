/** The longest a group waits for senders it expects, however slow the last commit was. */
const MAX_GATHER_MS = 50

/** What became of one item of a group: its result, or the error its caller hears. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown }

/** Hands items to a committer in groups; each caller waits for its own item's outcome. */
export interface GroupCommit<I, O> {
  submit(item: I): Promise<O>
}

/**
 * Group commit: items that arrive while a group is being committed wait, and go together in the
 * next group, so N concurrent writers cost about one transaction, not N (the round trips and the
 * commit are shared; the audit chain's lock is taken once). One group is in flight at a time.
 *
 * A group waits for the senders it can expect: as many as the last group had, with those that
 * arrived while it was committed (the senders just answered send again a moment later). Taking
 * only those already there would split steady senders into a large group and a lone item that
 * costs a transaction of its own, turn after turn. It never waits longer than half what the last
 * commit took (nor {@link MAX_GATHER_MS}), so a sender alone, or fewer senders than before, lose
 * little; a lone sender is expected alone and does not wait at all.
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

  /** The senders expected, and how long the last commit took. */
  let expected = 1
  let lastCommitMs = 0
  /** Called on each arrival while a group is gathering. */
  let arrived: (() => void) | undefined

  /** Waits until `count` items are queued, or `ms` have passed. */
  function gather(count: number, ms: number) {
    if (queue.length >= count || ms <= 0) return
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        arrived = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      arrived = () => {
        if (queue.length >= count) done()
      }
    })
  }

  async function drain() {
    draining = true
    for (;;) {
      // Input already read is let in first: a group is formed after the turn's requests.
      await new Promise((resolve) => setImmediate(resolve))
      if (queue.length === 0) break
      await gather(Math.min(expected, options.maxItems), Math.min(lastCommitMs / 2, MAX_GATHER_MS))
      const group = queue.splice(0, groupLength())
      const started = performance.now()
      await settle(group)
      lastCommitMs = performance.now() - started
      expected = group.length + queue.length
    }
    draining = false
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!draining) void drain()
        else arrived?.()
      })
    },
  }
}
