import { describe, expect, it } from 'vitest'
import { KPI_DEFINITIONS } from './kpi-definition.js'

describe('KPI definitions', () => {
  it('hold the 15 Blueprint KPIs, numbered 1 to 15, three of them measured by the platform', () => {
    expect(KPI_DEFINITIONS.map((k) => k.number)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ])
    expect(KPI_DEFINITIONS.filter((k) => k.source === 'platform').map((k) => k.number)).toEqual([
      12, 13, 14,
    ])
    expect(KPI_DEFINITIONS.find((k) => k.number === 14)?.target).toEqual({
      kind: 'at-most',
      value: 7,
    })
  })

  it('state every band with its low end first', () => {
    for (const kpi of KPI_DEFINITIONS) {
      if (kpi.target.kind === 'band')
        expect(kpi.target.low, `KPI ${kpi.number}`).toBeLessThan(kpi.target.high)
    }
  })

  it('title each KPI in its unit: a percentage is never called a number', () => {
    const titled = KPI_DEFINITIONS.map((k) => [k.number, k.unit, k.wording.split(' ')[0]])
    expect(titled.filter(([, unit, first]) => unit === 'percent' && first === 'Number')).toEqual([])
    expect(KPI_DEFINITIONS.find((k) => k.number === 9)?.wording).toBe(
      'Percentage of public officers with basic digital literacy',
    )
  })
})
