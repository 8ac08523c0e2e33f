import { describe, expect, it } from 'vitest'
import { elapsedText, pageCountOf, pageText } from './answer-paging.js'

describe('which rows of an answer a page shows, in words', () => {
  it('counts a short answer, and shows a long one a hundred rows at a time', () => {
    expect(pageText(0, 0, false)).toBe('No rows')
    expect(pageText(0, 1, false)).toBe('1 row')
    expect(pageText(0, 100, false)).toBe('100 rows')
    expect(pageText(0, 2_345, false)).toBe('Showing 1–100 of 2,345 rows')
    expect(pageText(23, 2_345, false)).toBe('Showing 2,301–2,345 of 2,345 rows')
    expect(pageCountOf(0)).toBe(1)
    expect(pageCountOf(2_345)).toBe(24)
  })

  it('says an answer cut at the row limit holds only its first rows, not how many there are', () => {
    expect(pageText(0, 10_000, true)).toBe('Showing 1–100 of the first 10,000 rows')
    expect(pageText(0, 40, true)).toBe('Showing 1–40 of the first 40 rows')
  })

  it('says how long the query took', () => {
    expect(elapsedText(42)).toBe('Ran in under 0.1 s')
    expect(elapsedText(412)).toBe('Ran in 0.4 s')
    expect(elapsedText(9_960)).toBe('Ran in 10.0 s')
    expect(elapsedText(12_400)).toBe('Ran in 12 s')
  })
})
