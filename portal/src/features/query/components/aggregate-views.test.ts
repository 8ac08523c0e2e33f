import { describe, expect, it } from 'vitest'
import { aggregateViewsIn, exampleAggregateQuery, starterQuery } from './aggregate-views.js'

const registry = {
  name: 'chronic_disease_registry',
  scope: 'aggregates' as const,
  columns: [
    { name: 'diagnosed_on', type: 'DATE', masked: false },
    { name: 'condition_code', type: 'VARCHAR', masked: false },
    { name: 'days_since_diagnosis', type: 'INTEGER', masked: false },
  ],
}
const second = { ...registry, name: 'chronic_disease_registry_2' }
const postal = {
  name: 'postal_geocode_reference',
  scope: 'full' as const,
  columns: [{ name: 'postal', type: 'VARCHAR', masked: false }],
}
const views = [registry, second, postal]
const names = (sql: string) => aggregateViewsIn(sql, views).map((v) => v.name)

describe('aggregate-only views in SQL', () => {
  it('finds the aggregate-only views a query names, in any case or quoting', () => {
    expect(names('SELECT count(*) FROM chronic_disease_registry')).toEqual([
      'chronic_disease_registry',
    ])
    expect(
      names(
        'select count(*) from "CHRONIC_DISEASE_REGISTRY_2" r join postal_geocode_reference p on true',
      ),
    ).toEqual(['chronic_disease_registry_2'])
  })

  it('ignores other views, longer names, comments and strings', () => {
    expect(names('SELECT * FROM postal_geocode_reference')).toEqual([])
    expect(
      names(
        "-- chronic_disease_registry\nSELECT 'chronic_disease_registry' /* chronic_disease_registry */ FROM postal_geocode_reference",
      ),
    ).toEqual([])
    expect(names('SELECT * FROM chronic_disease_registry_archive')).toEqual([])
  })

  it("writes an example that counts people by the view's first text column", () => {
    expect(exampleAggregateQuery(registry)).toBe(
      'SELECT condition_code, count(*) AS people FROM chronic_disease_registry GROUP BY condition_code',
    )
    expect(exampleAggregateQuery({ ...registry, columns: [] })).toBe(
      'SELECT count(*) AS people FROM chronic_disease_registry',
    )
  })

  it('starts an aggregate-only view with its example and any other view with its rows', () => {
    expect(starterQuery(registry)).toBe(exampleAggregateQuery(registry))
    expect(starterQuery(postal)).toBe('SELECT * FROM postal_geocode_reference LIMIT 100')
  })
})
