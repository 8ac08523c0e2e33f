import { describe, expect, it } from 'vitest'
import { topK } from './top-k.js'

describe('topK', () => {
  it('returns the k best, best first, as a full sort would', () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1009)
    const sorted = [...items].sort((a, b) => b - a)
    for (const k of [0, 1, 5, 20, 999, 1000, 2000])
      expect(topK(items, k, (a, b) => a > b)).toEqual(sorted.slice(0, k))
  })

  it('keeps ties in the order the comparison gives them', () => {
    const items = ['b', 'a', 'c', 'a'].map((title, i) => ({ key: i % 2, title }))
    const best = topK(items, 3, (x, y) => (x.key !== y.key ? x.key > y.key : x.title < y.title))
    expect(best).toEqual([
      { key: 1, title: 'a' },
      { key: 1, title: 'a' },
      { key: 0, title: 'b' },
    ])
  })
})
