/**
 * The `k` best items, best first, in one pass with a heap of `k`: a page of results out of tens
 * of thousands of matches without sorting them all. `before(a, b)` is true when `a` ranks first.
 */
export function topK<T>(items: Iterable<T>, k: number, before: (a: T, b: T) => boolean): T[] {
  if (k <= 0) return []
  // A min-heap on rank: the root is the worst of the best k seen so far.
  const heap: T[] = []
  const worse = (i: number, j: number) => before(heap[j] as T, heap[i] as T)
  const swap = (i: number, j: number) => {
    const t = heap[i] as T
    heap[i] = heap[j] as T
    heap[j] = t
  }
  const down = (start: number) => {
    let i = start
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let w = i
      if (l < heap.length && worse(l, w)) w = l
      if (r < heap.length && worse(r, w)) w = r
      if (w === i) return
      swap(i, w)
      i = w
    }
  }
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item)
      let i = heap.length - 1
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!worse(i, parent)) break
        swap(i, parent)
        i = parent
      }
    } else if (before(item, heap[0] as T)) {
      heap[0] = item
      down(0)
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
}
