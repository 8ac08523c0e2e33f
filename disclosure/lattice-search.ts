/**
 * The search for the generalisation with the least information loss that makes a table
 * k-anonymous (and l-diverse on its sensitive columns), allowing a bounded number of rows to be
 * suppressed: ARX's global recoding over a lattice of one level per hierarchy, here searched
 * whole (sharing the partition of every prefix of levels between the nodes that have it, and
 * leaving branches that cannot hold the best node), or greedily when the lattice is too large to
 * search whole.
 */

/** One hierarchy's rows, level by level. */
export interface EncodedHierarchy {
  name: string
  /** Columns it generalises: its loss counts that many times. */
  width: number
  /** Level names, finest first. */
  levels: readonly string[]
  /** codes[level][row]: the row's generalised value as a small integer. */
  codes: readonly Int32Array[]
  /** loss[level][row]: normalised certainty penalty of the row's value at that level, 0 to 1. */
  loss: readonly Float64Array[]
  /** A sensitive column: its values must be l-diverse within every class of the others. */
  sensitive: boolean
  /** The coarsest level the steward asks to keep, if any (honoured where k allows). */
  keepAtMost?: number
}

export interface SearchProblem {
  rows: number
  hierarchies: readonly EncodedHierarchy[]
  k: number
  /** Distinct sensitive values each class must hold (l of distinct l-diversity). */
  l: number
  /** Rows that may be suppressed at most. */
  maxSuppressed: number
}

export interface SearchResult {
  /** The chosen level of each hierarchy. */
  levels: number[]
  /** Rows to drop, in row order. */
  suppressed: number[]
  /** Normalised certainty penalty of the whole table, suppressed cells counting 1. */
  loss: number
  /** Smallest class left; distinct sensitive values in the poorest class (Infinity if none). */
  k: number
  l: number
  /** Whether every hierarchy stayed within what the steward asked to keep. */
  keptAsAsked: boolean
  /** Nodes of the lattice, and how many were evaluated. */
  latticeSize: number
  evaluated: number
}

/** Above this many nodes the lattice is searched greedily rather than whole. */
export const MAX_EXHAUSTIVE_NODES = 60_000

/** The best generalisation, or undefined if even hiding everything fails (too few rows). */
export function searchLattice(problem: SearchProblem): SearchResult | undefined {
  // Sensitive hierarchies last, so the partition by all the others is a shared prefix.
  const order = problem.hierarchies
    .map((h, i) => ({ h, i }))
    .sort((a, b) => Number(a.h.sensitive) - Number(b.h.sensitive))
  const size = order.reduce((n, { h }) => n * h.levels.length, 1)
  const candidates: Evaluated[] = []
  let evaluated = 0
  const consider = (levels: number[], classes?: Int32Array, others?: Int32Array) => {
    evaluated++
    const node = evaluate(problem, levels, classes, others)
    if (node) candidates.push(node)
    return node
  }
  if (size <= MAX_EXHAUSTIVE_NODES) exhaustive(problem, order, consider)
  else greedy(problem, consider)
  const kept = candidates.filter((c) => keptAsAsked(problem, c.levels))
  const best = pickBest(kept.length > 0 ? kept : candidates)
  if (!best) return undefined
  return {
    ...best,
    keptAsAsked: kept.length > 0 || problem.hierarchies.every((h) => h.keepAtMost === undefined),
    latticeSize: size,
    evaluated,
  }
}

interface Evaluated {
  levels: number[]
  suppressed: number[]
  loss: number
  k: number
  l: number
}

function pickBest(nodes: readonly Evaluated[]): Evaluated | undefined {
  let best: Evaluated | undefined
  for (const node of nodes) {
    if (
      !best ||
      node.loss < best.loss - 1e-12 ||
      (Math.abs(node.loss - best.loss) <= 1e-12 && node.suppressed.length < best.suppressed.length)
    )
      best = node
  }
  return best
}

const keptAsAsked = (problem: SearchProblem, levels: readonly number[]) =>
  problem.hierarchies.every(
    (h, i) => h.keepAtMost === undefined || (levels[i] ?? 0) <= h.keepAtMost,
  )

/**
 * Every node that could be the best, depth first, each prefix's partition computed once. A
 * branch is left when no node in it can be chosen: its prefix alone already leaves more rows in
 * classes below k than may be suppressed (the other hierarchies can only split classes further),
 * or, once a node kept as asked is found, the least loss a node of the branch could have is
 * above that node's. A node's loss is at least its generalisation's loss over every row: a
 * suppressed row loses all of its cells, no less.
 */
function exhaustive(
  problem: SearchProblem,
  order: readonly { h: EncodedHierarchy; i: number }[],
  consider: (levels: number[], classes: Int32Array, others?: Int32Array) => Evaluated | undefined,
) {
  const levels = problem.hierarchies.map(() => 0)
  const floors = levelFloors(problem)
  // The least floor the hierarchies from each depth on can add: each at its least lossy level.
  const rest = order.map((_, depth) =>
    order.slice(depth).reduce((sum, { i }) => sum + Math.min(...(floors[i] ?? [0])), 0),
  )
  let bestKept = Number.POSITIVE_INFINITY
  // With one sensitive hierarchy (last), the classes of all the others are the prefix before it.
  const sensitive = order.filter(({ h }) => h.sensitive).length
  let others: Int32Array | undefined
  const walk = (depth: number, classes: Int32Array, floor: number) => {
    if (floor + (rest[depth] ?? 0) > bestKept + FLOOR_MARGIN) return
    if (rareCount(classes, problem.k) > problem.maxSuppressed) return
    if (sensitive === 1 && depth === order.length - 1) others = classes
    if (depth === order.length) {
      const kept = keptAsAsked(problem, levels)
      if (!kept && bestKept < Number.POSITIVE_INFINITY) return
      const node = consider([...levels], classes, sensitive === 1 ? others : undefined)
      if (node && kept) bestKept = Math.min(bestKept, node.loss)
      return
    }
    const { h, i } = order[depth] as { h: EncodedHierarchy; i: number }
    for (let level = 0; level < h.levels.length; level++) {
      levels[i] = level
      const added = floors[i]?.[level] ?? 0
      walk(depth + 1, refine(classes, h.codes[level] as Int32Array), floor + added)
    }
    levels[i] = 0
  }
  walk(0, new Int32Array(problem.rows), 0)
}

/** How far below a branch's least loss a node's loss may be found, from rounding alone. */
const FLOOR_MARGIN = 1e-9

/** Each hierarchy's loss at each level over every row, as a share of the table's cells. */
function levelFloors(problem: SearchProblem): number[][] {
  const cells = problem.hierarchies.reduce((n, h) => n + h.width, 0) * problem.rows
  return problem.hierarchies.map((h) =>
    h.loss.map((level) =>
      cells === 0 ? 0 : (level.reduce((sum, loss) => sum + loss, 0) * h.width) / cells,
    ),
  )
}

/** Rows in classes of fewer than k rows. */
function rareCount(classes: Int32Array, k: number): number {
  const sizes = sizesOf(classes)
  let rare = 0
  for (const c of classes) if ((sizes[c] as number) < k) rare++
  return rare
}

/**
 * From the top of the lattice's bottom: raise, one level at a time, the hierarchy whose raise
 * suppresses the fewest rows for the loss it adds, until a node needs no more suppression than
 * allowed; then try lowering each hierarchy again while that still holds.
 */
function greedy(problem: SearchProblem, consider: (levels: number[]) => Evaluated | undefined) {
  const levels = problem.hierarchies.map(() => 0)
  const top = problem.hierarchies.map((h) => h.levels.length - 1)
  while (!consider([...levels]) && levels.some((l, i) => l < (top[i] ?? 0))) {
    let best: { i: number; score: number } | undefined
    problem.hierarchies.forEach((_, i) => {
      if ((levels[i] ?? 0) >= (top[i] ?? 0)) return
      const next = [...levels]
      next[i] = (next[i] ?? 0) + 1
      const rare = rareRows(problem, next)
      const loss = tableLoss(problem, next, [])
      const score = rare + loss * problem.rows
      if (!best || score < best.score) best = { i, score }
    })
    if (!best) break
    levels[best.i] = (levels[best.i] ?? 0) + 1
  }
  for (let i = 0; i < levels.length; i++) {
    while ((levels[i] ?? 0) > 0) {
      const lower = [...levels]
      lower[i] = (lower[i] ?? 0) - 1
      if (!consider(lower)) break
      levels[i] = lower[i] ?? 0
    }
  }
}

/** Above this many (class, code) pairs `refine` numbers them in a Map rather than a table. */
const MAX_PAIR_SLOTS = 1 << 20
/**
 * The table `refine` numbers (class, code) pairs in, reused from call to call (a search refines
 * thousands of times, and a Map per call was most of its time): a slot holds a pair's new class
 * while its stamp is the current call's.
 */
const pairs = { ids: new Int32Array(0), stamps: new Int32Array(0), stamp: 0 }

/** Classes split further by one more hierarchy's codes, renumbered from 0 in order of rows. */
function refine(classes: Int32Array, codes: Int32Array): Int32Array {
  let classCount = 0
  let codeCount = 0
  for (let row = 0; row < classes.length; row++) {
    classCount = Math.max(classCount, (classes[row] as number) + 1)
    codeCount = Math.max(codeCount, (codes[row] as number) + 1)
  }
  const slots = classCount * codeCount
  if (slots > MAX_PAIR_SLOTS) return refineInMap(classes, codes)
  if (pairs.ids.length < slots || pairs.stamp === 0x7fffffff) {
    pairs.ids = new Int32Array(Math.max(slots, pairs.ids.length))
    pairs.stamps = new Int32Array(pairs.ids.length)
    pairs.stamp = 0
  }
  const stamp = ++pairs.stamp
  const { ids, stamps } = pairs
  const next = new Int32Array(classes.length)
  let count = 0
  for (let row = 0; row < classes.length; row++) {
    const slot = (classes[row] as number) * codeCount + (codes[row] as number)
    if (stamps[slot] !== stamp) {
      stamps[slot] = stamp
      ids[slot] = count++
    }
    next[row] = ids[slot] as number
  }
  return next
}

/** `refine` for pairs too many to number in a table. */
function refineInMap(classes: Int32Array, codes: Int32Array): Int32Array {
  const next = new Int32Array(classes.length)
  const ids = new Map<number, number>()
  for (let row = 0; row < classes.length; row++) {
    const key = (classes[row] as number) * 1_048_576 + (codes[row] as number)
    let id = ids.get(key)
    if (id === undefined) {
      id = ids.size
      ids.set(key, id)
    }
    next[row] = id
  }
  return next
}

function partition(problem: SearchProblem, levels: readonly number[], skip?: number): Int32Array {
  let classes: Int32Array = new Int32Array(problem.rows)
  problem.hierarchies.forEach((h, i) => {
    if (i !== skip) classes = refine(classes, h.codes[levels[i] ?? 0] as Int32Array)
  })
  return classes
}

function sizesOf(classes: Int32Array): Int32Array {
  let max = 0
  for (const c of classes) if (c > max) max = c
  const sizes = new Int32Array(max + 1)
  for (const c of classes) sizes[c] = (sizes[c] as number) + 1
  return sizes
}

function rareRows(problem: SearchProblem, levels: readonly number[]): number {
  return rareCount(partition(problem, levels), problem.k)
}

/**
 * A node's outcome: rows in classes below k suppressed, then rows in classes whose sensitive
 * values are not l-diverse; undefined if that is more than may be suppressed.
 */
function evaluate(
  problem: SearchProblem,
  levels: readonly number[],
  classes = partition(problem, levels),
  othersOfTheSensitive?: Int32Array,
): Evaluated | undefined {
  const dropped = new Uint8Array(problem.rows)
  const sizes = sizesOf(classes)
  let suppressed = 0
  for (let row = 0; row < problem.rows; row++)
    if ((sizes[classes[row] as number] as number) < problem.k) {
      dropped[row] = 1
      suppressed++
    }
  if (suppressed > problem.maxSuppressed) return undefined
  let minL = Number.POSITIVE_INFINITY
  for (const [s, h] of problem.hierarchies.entries()) {
    const level = levels[s] ?? 0
    if (!h.sensitive || level === h.levels.length - 1) continue
    const others = othersOfTheSensitive ?? partition(problem, levels, s)
    const distinct = distinctPerClass(others, h.codes[level] as Int32Array, dropped)
    for (let row = 0; row < problem.rows; row++) {
      if (dropped[row]) continue
      if ((distinct[others[row] as number] as number) < problem.l) {
        dropped[row] = 1
        suppressed++
      }
    }
    if (suppressed > problem.maxSuppressed) return undefined
    // Classes with no row left before this check hold no values: they count 0 and are passed by.
    for (const d of distinct) if (d > 0 && d >= problem.l) minL = Math.min(minL, d)
  }
  const kept = new Int32Array(sizes.length)
  const suppressedRows: number[] = []
  for (let row = 0; row < problem.rows; row++) {
    if (dropped[row]) suppressedRows.push(row)
    else kept[classes[row] as number] = (kept[classes[row] as number] as number) + 1
  }
  let minK = Number.POSITIVE_INFINITY
  for (const size of kept) if (size > 0) minK = Math.min(minK, size)
  return {
    levels: [...levels],
    suppressed: suppressedRows,
    loss: tableLoss(problem, levels, suppressedRows),
    k: minK,
    l: minL,
  }
}

/** Distinct values among the rows not dropped, for each class (0 for a class without such rows). */
function distinctPerClass(
  classes: Int32Array,
  values: Int32Array,
  dropped: Uint8Array,
): Int32Array {
  let classCount = 0
  let valueCount = 0
  for (let row = 0; row < classes.length; row++) {
    classCount = Math.max(classCount, (classes[row] as number) + 1)
    valueCount = Math.max(valueCount, (values[row] as number) + 1)
  }
  const distinct = new Int32Array(classCount)
  if (valueCount <= 31) {
    // Few values (the usual sensitive column): each class's values as bits of one integer.
    const seen = new Int32Array(classCount)
    for (let row = 0; row < classes.length; row++) {
      if (dropped[row]) continue
      const c = classes[row] as number
      seen[c] = (seen[c] as number) | (1 << (values[row] as number))
    }
    seen.forEach((bits, c) => {
      distinct[c] = bitCount(bits)
    })
    return distinct
  }
  const seen = new Map<number, Set<number>>()
  for (let row = 0; row < classes.length; row++) {
    if (dropped[row]) continue
    const held = seen.get(classes[row] as number) ?? new Set<number>()
    held.add(values[row] as number)
    seen.set(classes[row] as number, held)
  }
  for (const [c, set] of seen) distinct[c] = set.size
  return distinct
}

function bitCount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555)
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333)
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/** Mean loss over every generalised cell; a suppressed row's cells each lose everything. */
function tableLoss(
  problem: SearchProblem,
  levels: readonly number[],
  suppressed: readonly number[],
): number {
  const width = problem.hierarchies.reduce((n, h) => n + h.width, 0)
  if (width === 0 || problem.rows === 0) return 0
  const gone = new Uint8Array(problem.rows)
  for (const row of suppressed) gone[row] = 1
  let total = suppressed.length * width
  problem.hierarchies.forEach((h, i) => {
    const loss = h.loss[levels[i] ?? 0] as Float64Array
    for (let row = 0; row < problem.rows; row++)
      if (!gone[row]) total += (loss[row] as number) * h.width
  })
  return total / (width * problem.rows)
}
