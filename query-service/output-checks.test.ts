import { describe, expect, it } from 'vitest'
import { type CheckedCell, checkCells, refusalMessage } from './output-checks.js'

const rules = { minCount: 10, dominanceP: 10 }
const cell = (name: string, units: number, extra: Partial<CheckedCell> = {}): CheckedCell => ({
  name,
  units,
  contributors: [units],
  magnitudes: [undefined],
  ...extra,
})

describe('output checks of aggregate answers', () => {
  it('passes cells that count enough people, refuses those that do not, naming them', () => {
    expect(checkCells([cell('sex = F', 10), cell('sex = M', 12)], rules)).toEqual([])
    const violations = checkCells([cell('sex = F', 9), cell('sex = M', 12)], rules)
    expect(violations).toEqual([{ rule: 'minimum count', cells: ['sex = F (9 people)'] }])
    expect(refusalMessage(violations, rules)).toContain(
      'minimum count: every cell must count at least 10 people: sex = F (9 people)',
    )
  })

  it('counts the contributors of each aggregate, so a subgroup hidden in a large cell is refused', () => {
    const hidden = cell('all rows', 300, { contributors: [300, 2] })
    expect(checkCells([hidden], rules)[0]).toMatchObject({ rule: 'minimum count' })
    // An aggregate nobody contributes to discloses no one.
    expect(checkCells([cell('all rows', 300, { contributors: [300, 0] })], rules)).toEqual([])
  })

  it('applies the p% rule to sums and means, at its boundary', () => {
    const sum = (top: number[], total: number) =>
      cell('all rows', 50, { magnitudes: [{ aggregate: 'sum(x)', total, top }] })
    // The rest (total − two largest) must be at least p% of the largest.
    expect(checkCells([sum([100, 50], 160)], rules)).toEqual([])
    expect(checkCells([sum([100, 50], 159)], rules)).toEqual([
      { rule: 'dominance', cells: ['all rows (sum(x))'] },
    ])
  })

  it('names at most ten cells of a rule, and says how many more', () => {
    const many = Array.from({ length: 14 }, (_, i) => cell(`area = A${i}`, 3))
    const message = refusalMessage(checkCells(many, rules), rules)
    expect(message).toContain('area = A9 (3 people); and 4 more')
    expect(message).not.toContain('A10 ')
  })
})
