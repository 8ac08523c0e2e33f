import { describe, expect, it } from 'vitest'
import { drawPositions } from './sample-draw.js'

const key = Buffer.alloc(32, 1)
const otherKey = Buffer.alloc(32, 2)

describe('drawPositions', () => {
  it('draws size distinct positions inside the version, the same ones every time', () => {
    const drawn = drawPositions(key, 10_000, 1000)
    expect(drawn).toHaveLength(1000)
    expect(new Set(drawn).size).toBe(1000)
    expect(drawn.every((p) => Number.isInteger(p) && p >= 0 && p < 10_000)).toBe(true)
    expect(drawPositions(key, 10_000, 1000)).toEqual(drawn)
  })

  it('draws other rows, in another order, under another key', () => {
    const drawn = drawPositions(key, 1_000_000, 1000)
    const other = new Set(drawPositions(otherKey, 1_000_000, 1000))
    // Two independent draws of 1,000 from 1,000,000 share about one row.
    expect(drawn.filter((p) => other.has(p)).length).toBeLessThan(20)
  })

  it('spreads the draw over the whole version, in no order of position', () => {
    const drawn = drawPositions(key, 1_000_000, 1000)
    const tenths = Array.from({ length: 10 }, (_, i) =>
      drawn.filter((p) => Math.floor(p / 100_000) === i),
    )
    for (const tenth of tenths) expect(tenth.length).toBeGreaterThan(60)
    expect(drawn).not.toEqual([...drawn].sort((a, b) => a - b))
  })

  it('takes every row of a version no larger than the sample, in a keyed order', () => {
    const drawn = drawPositions(key, 50, 1000)
    expect([...drawn].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(drawn).not.toEqual([...drawn].sort((a, b) => a - b))
    expect(drawPositions(otherKey, 50, 1000)).not.toEqual(drawn)
  })
})
