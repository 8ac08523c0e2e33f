import { describe, expect, it } from 'vitest'
import { type CheckedCell, checkCells, refusalMessage } from './output-checks.js'

const rules = { minCount: 10, dominanceP: 10 }
const cell = (units: number, extra: Partial<CheckedCell> = {}): CheckedCell => ({
  units,
  contributors: [units],
  magnitudes: [undefined],
  ...extra,
})

describe('output checks of aggregate answers', () => {
  it('passes cells that count enough people, refuses those that do not, without saying how many people', () => {
    expect(checkCells([cell(10), cell(12)], rules, ['sex'])).toEqual([])
    const violations = checkCells([cell(9), cell(12)], rules, ['sex'])
    expect(violations).toEqual([{ rule: 'minimum count', what: 'cells grouped by sex' }])
    const message = refusalMessage(violations, rules)
    expect(message).toContain('minimum count (every cell must count at least 10 people')
    expect(message).not.toMatch(/\b9\b/)
  })

  it('counts the contributors of each measure, so a subgroup hidden in a large cell is refused', () => {
    expect(checkCells([cell(300, { contributors: [300, 2] })], rules, [])[0]).toMatchObject({
      rule: 'minimum count',
    })
    // …and so are the few people of a cell without a value (count(*) beside count(column)).
    expect(checkCells([cell(300, { contributors: [300, 297] })], rules, [])[0]).toMatchObject({
      rule: 'minimum count',
    })
    // A measure nobody, or everybody, contributes to singles out no one.
    expect(checkCells([cell(300, { contributors: [300, 0] })], rules, [])).toEqual([])
    // An answer with no cell (nobody matched) is refused as a small one is.
    expect(checkCells([], rules, [])).toEqual([{ rule: 'minimum count', what: 'the answer' }])
  })

  it('applies the p% rule to sums and means, at its boundary', () => {
    const sum = (top: number[], total: number) =>
      cell(50, { magnitudes: [{ measure: 'sum(x)', total, top }] })
    // The rest (total − two largest) must be at least p% of the largest.
    expect(checkCells([sum([100, 50], 160)], rules, [])).toEqual([])
    expect(checkCells([sum([100, 50], 159)], rules, [])).toEqual([
      { rule: 'dominance', what: 'sum(x)' },
    ])
  })

  it('names the earlier answers a differencing refusal is about', () => {
    const violations = checkCells(
      [cell(50)],
      rules,
      [],
      [{ earlierQuery: 'q_a' }, { earlierQuery: 'q_a' }],
    )
    expect(refusalMessage(violations, rules)).toContain(
      'differencing (no cell, nor the whole answer, may differ from one released to you before by fewer than 10 people or rows): this answer or one of its cells, against your q_a',
    )
  })
})
