import { hmacHex } from '../keys/index.js'

/** Bits of each keyed draw used as a number: a safe integer, far above any version's rows. */
const DRAW_BITS = 48
const DRAW_RANGE = 2 ** DRAW_BITS

/** A number in [0, 2^48) from the keyed hash of `label`: unknown without the key. */
const keyedNumber = (key: Buffer, label: string) =>
  Number.parseInt(hmacHex(key, label).slice(0, DRAW_BITS / 4), 16)

/**
 * The positions (0-based, in the version's file) of the rows a sample draws from a version of
 * `rows` rows: `size` distinct positions, each equally likely, in the order they were drawn, or
 * every position when the version is no larger. Each comes from a keyed hash of the draw's step
 * under the sample's own key, so neither the rows chosen nor their order can be worked out from
 * the data; the same version and key always draw the same rows. Drawing positions rather than
 * ranking every row by a keyed hash of its key leaves the version's rows unhashed: the sample
 * reads only the rows it draws.
 */
export function drawPositions(key: Buffer, rows: number, size: number): number[] {
  if (rows <= size) {
    // All of them: the order alone is drawn.
    const order = Array.from({ length: rows }, (_, p) => ({ p, at: hmacHex(key, `order|${p}`) }))
    return order.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).map((o) => o.p)
  }
  // Numbers at or above the last whole multiple of `rows` are thrown away, so every position
  // is equally likely; a position drawn twice is drawn again.
  const limit = DRAW_RANGE - (DRAW_RANGE % rows)
  const drawn = new Set<number>()
  for (let step = 0; drawn.size < size; step++) {
    const n = keyedNumber(key, `draw|${step}`)
    if (n < limit) drawn.add(n % rows)
  }
  return [...drawn]
}
