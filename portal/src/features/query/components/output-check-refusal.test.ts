import { describe, expect, it } from 'vitest'
import { parseRefusal } from './output-check-refusal.js'

// As query-service/output-checks.ts words a refusal that breaks all three rules.
const MESSAGE =
  'The answer did not pass output checks (this grant is for aggregates only). ' +
  'minimum count: every cell must count at least 10 people: region_code = EAST, sex = F (3 people); region_code = WEST, sex = M (7 people); and 3 more. ' +
  'dominance: no one or two people may make up more than the rest of a sum or mean allows (p% rule, p = 10): region_code = NORTH, sex = F (sum(days_since_diagnosis)). ' +
  'differencing: no cell may differ from one released earlier by fewer than 10 people: all rows differs from all rows of your query q_0193f3a4-8c1e by 1 person. ' +
  'Group more broadly or widen the filter, and ask again.'

describe('an output-check refusal', () => {
  it('splits into its lead, each rule with its cells, and the advice', () => {
    expect(parseRefusal(MESSAGE)).toEqual({
      lead: 'The answer did not pass output checks (this grant is for aggregates only).',
      rules: [
        {
          rule: 'minimum count',
          why: 'every cell must count at least 10 people',
          cells: [
            'region_code = EAST, sex = F (3 people)',
            'region_code = WEST, sex = M (7 people)',
            'and 3 more',
          ],
        },
        {
          rule: 'dominance',
          why: 'no one or two people may make up more than the rest of a sum or mean allows (p% rule, p = 10)',
          cells: ['region_code = NORTH, sex = F (sum(days_since_diagnosis))'],
        },
        {
          rule: 'differencing',
          why: 'no cell may differ from one released earlier by fewer than 10 people',
          cells: ['all rows differs from all rows of your query q_0193f3a4-8c1e by 1 person'],
        },
      ],
      advice: 'Group more broadly or widen the filter, and ask again.',
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
