import { describe, expect, it } from 'vitest'
import { parseRefusal } from './output-check-refusal.js'

// As query-service/output-checks.ts words a refusal that breaks all three rules.
const MESSAGE =
  'The answer did not pass output checks (this grant is for aggregates only). ' +
  'minimum count (every cell must count at least 10 people, and so must every sum, mean and count of a column in it): 3 of 12 cells (grouped by region_code, sex). ' +
  'dominance (no one or two people may make up so much of a sum or mean that the rest is under 10% of the largest (p% rule)): sum(days_since_diagnosis) in 1 of 12 cells. ' +
  'differencing (no cell, nor the whole answer, may differ from one released to you before by fewer than 10 people or rows): this answer or one of its cells, against your q_0193f3a4-8c1e. ' +
  'Group more broadly or filter less narrowly, and ask again.'

describe('an output-check refusal', () => {
  it('splits into its lead, each rule with what broke it, and the advice', () => {
    expect(parseRefusal(MESSAGE)).toEqual({
      lead: 'The answer did not pass output checks (this grant is for aggregates only).',
      rules: [
        {
          rule: 'minimum count',
          why: 'every cell must count at least 10 people, and so must every sum, mean and count of a column in it',
          what: '3 of 12 cells (grouped by region_code, sex)',
        },
        {
          rule: 'dominance',
          why: 'no one or two people may make up so much of a sum or mean that the rest is under 10% of the largest (p% rule)',
          what: 'sum(days_since_diagnosis) in 1 of 12 cells',
        },
        {
          rule: 'differencing',
          why: 'no cell, nor the whole answer, may differ from one released to you before by fewer than 10 people or rows',
          what: 'this answer or one of its cells, against your q_0193f3a4-8c1e',
        },
      ],
      advice: 'Group more broadly or filter less narrowly, and ask again.',
    })
  })

  it('leaves any other refusal to show as written', () => {
    expect(
      parseRefusal(
        "'chronic_disease_registry' is for aggregates only: write one SELECT … GROUP BY with count(*), count(), sum() or avg()",
      ),
    ).toBeUndefined()
  })
})
