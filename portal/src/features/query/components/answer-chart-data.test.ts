import { describe, expect, it } from 'vitest'
import {
  areaValuesOf,
  chartKindsOf,
  MAX_POINTS,
  numericColumns,
  planningAreaColumn,
  pointsOf,
} from './answer-chart-data.js'

const byArea = {
  columns: [
    { name: 'planning_area_code', type: 'VARCHAR' },
    { name: 'sex', type: 'VARCHAR' },
    { name: 'people', type: 'BIGINT' },
  ],
  rows: [
    ['BS', 'F', '12'],
    ['BS', 'M', '10'],
    ['TP', 'F', '7'],
    ['XX', 'F', '99'],
  ],
}

describe('the charts an answer can be drawn as', () => {
  it('offers a map when a column names planning areas, by code or by name', () => {
    expect(numericColumns(byArea)).toEqual([2])
    expect(planningAreaColumn(byArea)).toBe(0)
    expect(chartKindsOf(byArea)).toEqual(['bar', 'line', 'map'])
    const named = {
      columns: [
        { name: 'planning_area_name', type: 'VARCHAR' },
        { name: 'share', type: 'DECIMAL(5,2)' },
      ],
      rows: [['Bishan', '0.25']],
    }
    expect(chartKindsOf(named)).toEqual(['bar', 'line', 'map'])
    expect([...areaValuesOf(named, 0, 1)]).toEqual([['BS', 0.25]])
  })

  it('adds up the rows of one planning area, leaving out places that are none', () => {
    expect([...areaValuesOf(byArea, 0, 2)]).toEqual([
      ['BS', 22],
      ['TP', 7],
    ])
  })

  it('offers bars and a line without planning areas, and nothing without numbers', () => {
    const counts = {
      columns: [
        { name: 'year', type: 'VARCHAR' },
        { name: 'n', type: 'INTEGER' },
        { name: 'took', type: 'INTERVAL' },
      ],
      rows: [['2025', 3, '1 day']],
    }
    expect(numericColumns(counts)).toEqual([1])
    expect(chartKindsOf(counts)).toEqual(['bar', 'line'])
    expect(chartKindsOf({ columns: [{ name: 'a', type: 'VARCHAR' }], rows: [['x']] })).toEqual([])
    expect(chartKindsOf({ columns: counts.columns, rows: [] })).toEqual([])
  })

  it('draws at most a hundred points, saying how many it left out', () => {
    const rows = Array.from({ length: MAX_POINTS + 5 }, (_, i) => [String(i), i])
    const { points, left } = pointsOf(
      {
        columns: [
          { name: 'k', type: 'VARCHAR' },
          { name: 'v', type: 'INTEGER' },
        ],
        rows,
      },
      0,
      1,
    )
    expect(points).toHaveLength(MAX_POINTS)
    expect(points[0]).toEqual({ label: '0', value: 0 })
    expect(left).toBe(5)
  })
})
