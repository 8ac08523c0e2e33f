import { describe, expect, it } from 'vitest'
import { dayInWords, describeGrantTerms, describeRowFilter } from './grant-terms.js'

describe('a grant in words', () => {
  it('says a row filter, every operator and condition at once', () => {
    expect(describeRowFilter([])).toBe('')
    expect(describeRowFilter([{ column: 'region_code', op: 'in', values: ['CR', 'ER'] }])).toBe(
      'region_code is CR or ER',
    )
    expect(
      describeRowFilter([
        { column: 'region_code', op: 'in', values: ['CR', 'ER', 'WR'] },
        { column: 'sex', op: 'eq', value: 'F' },
        { column: 'sex', op: 'ne', value: 'M' },
        { column: 'age', op: 'lt', value: 65 },
        { column: 'age', op: 'lte', value: 64 },
        { column: 'age', op: 'gt', value: 17 },
        { column: 'age', op: 'gte', value: 18 },
        { column: 'year', op: 'in', values: [2026] },
      ]),
    ).toBe(
      'region_code is CR, ER or WR and sex is F and sex is not M and age is below 65 and age is at most 64 and age is above 17 and age is at least 18 and year is 2026',
    )
  })

  it('says a day in Singapore, in the portal style', () => {
    // 16:30 UTC on 31 March is already 1 April in Singapore.
    expect(dayInWords(new Date('2027-03-31T16:30:00.000Z'))).toBe('1 Apr 2027')
  })

  it('says whole terms: columns, rows, what is in clear and masked, the end', () => {
    const expiresAt = new Date('2027-03-31T08:00:00.000Z')
    expect(
      describeGrantTerms({
        scope: 'rows',
        columns: undefined,
        rowFilter: [],
        inClear: [],
        expiresAt,
        directIdentifiers: [],
      }),
    ).toBe('Columns: all. Rows: all. Until 31 Mar 2027.')
    expect(
      describeGrantTerms({
        scope: 'rows',
        columns: ['nric', 'name', 'region_code'],
        rowFilter: [{ column: 'region_code', op: 'in', values: ['CR', 'ER'] }],
        inClear: ['nric'],
        expiresAt,
        directIdentifiers: ['nric', 'name', 'phone'],
      }),
    ).toBe(
      'Columns: nric, name, region_code. Rows where region_code is CR or ER. In clear: nric; masked: name. Until 31 Mar 2027.',
    )
    expect(
      describeGrantTerms({
        scope: 'aggregates',
        columns: ['age_band'],
        rowFilter: [],
        inClear: [],
        expiresAt,
        directIdentifiers: ['nric'],
      }),
    ).toBe(
      'Aggregates only, each answer checked before release. Columns: age_band. Rows: all. Until 31 Mar 2027.',
    )
  })
})
