import { describe, expect, it } from 'vitest'
import { createGroupCommit, type Outcome } from './group-commit.js'

/** A committer that records each group it is given and answers each item with itself doubled. */
function recordingCommit(options: { failing?: number; throwing?: boolean } = {}) {
  const groups: number[][] = []
  let release: () => void = () => {}
  let held: Promise<void> | undefined
  const commit = async (items: readonly number[]): Promise<Outcome<number>[]> => {
    groups.push([...items])
    await held
    if (options.throwing) throw new Error('the transaction failed')
    return items.map((item) =>
      item === options.failing
        ? { ok: false, error: new Error(`item ${item} is bad`) }
        : { ok: true, value: item * 2 },
    )
  }
  return {
    groups,
    commit,
    /** Holds the next commits until released, as a slow transaction would. */
    hold() {
      held = new Promise((resolve) => {
        release = () => {
          held = undefined
          resolve()
        }
      })
    },
    release: () => release(),
  }
}

describe('group commit', () => {
  it('commits items submitted together in one group, each caller getting its own result', async () => {
    const committer = recordingCommit()
    const group = createGroupCommit(committer.commit, { maxItems: 100 })
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => group.submit(i)))
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i * 2))
    expect(committer.groups).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
  })

  it('gathers items arriving while a group commits into the next one', async () => {
    const committer = recordingCommit()
    const group = createGroupCommit(committer.commit, { maxItems: 100 })
    committer.hold()
    const first = group.submit(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(committer.groups).toEqual([[1]])
    const later = [2, 3, 4, 5].map((i) => group.submit(i))
    committer.release()
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6, 8, 10])
    // Five items, two commits: the four that waited went together.
    expect(committer.groups).toEqual([[1], [2, 3, 4, 5]])
  })

  it('waits for as many senders as last time, no longer than half a commit', async () => {
    const groups: number[][] = []
    const commit = async (items: readonly number[]) => {
      groups.push([...items])
      await new Promise((resolve) => setTimeout(resolve, 200))
      return items.map((item) => ({ ok: true as const, value: item }))
    }
    const group = createGroupCommit(commit, { maxItems: 100 })
    await Promise.all([1, 2, 3, 4].map((i) => group.submit(i)))
    // The four senders come back one by one: they go together, not the first alone.
    const next = [5, 6, 7, 8].map((i) =>
      new Promise((resolve) => setTimeout(resolve, (i - 5) * 10)).then(() => group.submit(i)),
    )
    await Promise.all(next)
    // One sender of the four comes back: it waits a little, not forever.
    const started = performance.now()
    await group.submit(9)
    expect(performance.now() - started).toBeLessThan(2000)
    // A lone sender is expected alone from then on.
    await group.submit(10)
    expect(groups).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9], [10]])
  })

  it('takes at most maxItems a group', async () => {
    const committer = recordingCommit()
    const group = createGroupCommit(committer.commit, { maxItems: 3 })
    await Promise.all(Array.from({ length: 7 }, (_, i) => group.submit(i)))
    expect(committer.groups).toEqual([[0, 1, 2], [3, 4, 5], [6]])
  })

  it('keeps a group within its size, taking an oversized item alone', async () => {
    const committer = recordingCommit()
    const group = createGroupCommit(committer.commit, {
      maxItems: 100,
      maxSize: 10,
      sizeOf: (item) => item,
    })
    await Promise.all([4, 5, 2, 30, 1].map((i) => group.submit(i)))
    expect(committer.groups).toEqual([[4, 5], [2], [30], [1]])
  })

  it('fails an item alone when its outcome is a failure', async () => {
    const committer = recordingCommit({ failing: 2 })
    const group = createGroupCommit(committer.commit, { maxItems: 100 })
    const settled = await Promise.allSettled([1, 2, 3].map((i) => group.submit(i)))
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason.message).toBe('item 2 is bad')
    expect(committer.groups).toHaveLength(1)
  })

  it('fails the whole group when the committer throws, and goes on with the next', async () => {
    const committer = recordingCommit({ throwing: true })
    const group = createGroupCommit(committer.commit, { maxItems: 100 })
    const settled = await Promise.allSettled([1, 2].map((i) => group.submit(i)))
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
    await expect(group.submit(3)).rejects.toThrow('the transaction failed')
    expect(committer.groups).toEqual([[1, 2], [3]])
  })
})
