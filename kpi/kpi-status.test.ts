import { describe, expect, it } from 'vitest'
import type { KpiTarget } from './kpi-definition.js'
import { kpiStatus } from './kpi-status.js'

const band: KpiTarget = { kind: 'band', low: 75, high: 80 }
const floor: KpiTarget = { kind: 'at-least', value: 100 }
const ceiling: KpiTarget = { kind: 'at-most', value: 7 }

/** The status of each value, in a period that has ended (`closed`) or is still running. */
const statusOf = (target: KpiTarget, closed: boolean, values: number[]) =>
  values.map((value) => kpiStatus({ target }, value, closed))

describe('status against a target', () => {
  it('meets a band from its low end, above its high end too', () => {
    expect(statusOf(band, true, [75, 78, 80, 85, 74.9])).toEqual([
      'met',
      'met',
      'met',
      'met',
      'missed',
    ])
  })

  it('meets a floor at or above it', () => {
    expect(statusOf(floor, true, [100, 120, 99.9])).toEqual(['met', 'met', 'missed'])
  })

  it('meets "no more than" at or below the limit', () => {
    expect(statusOf(ceiling, true, [7, 6, 0, 7.1])).toEqual(['met', 'met', 'met', 'missed'])
  })

  it('calls a running period on track within 5% of the target, at risk beyond it', () => {
    expect(statusOf(band, false, [75, 71.25, 71.2])).toEqual(['met', 'on track', 'at risk'])
    expect(statusOf(floor, false, [95, 94.9])).toEqual(['on track', 'at risk'])
    expect(statusOf(ceiling, false, [7.3, 7.4])).toEqual(['on track', 'at risk'])
  })

  it('holds a value to the target it is given in place of the KPI target', () => {
    const perFamily: KpiTarget = { kind: 'at-least', value: 2 }
    expect(kpiStatus({ target: floor }, 2, true, perFamily)).toBe('met')
    expect(kpiStatus({ target: floor }, 2, true)).toBe('missed')
  })
})
