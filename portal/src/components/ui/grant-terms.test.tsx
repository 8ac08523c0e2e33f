import { MantineProvider } from '@mantine/core'
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { describeRowFilter } from './describe-row-filter.js'
import { GrantTerms, type GrantTermsProps } from './grant-terms.js'

afterEach(cleanup)

describe('describeRowFilter', () => {
  it('says every operator in words, and every condition holding at once', () => {
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
})

const lines = (props: GrantTermsProps) => {
  render(
    <MantineProvider>
      <GrantTerms {...props} />
    </MantineProvider>,
  )
  return screen.getAllByRole('listitem').map((li) => li.textContent)
}

describe('GrantTerms', () => {
  it('says a whole grant: all columns, all rows, identifiers masked, its end', () => {
    expect(
      lines({
        columns: null,
        columnCount: 12,
        rowFilter: [],
        inClear: [],
        expiresAt: '2027-03-31T08:00:00.000Z',
        status: 'active',
      }),
    ).toEqual(['Columns: all 12', 'Rows: all', 'Identifiers masked', 'Until 31 Mar 2027'])
  })

  it('says a narrowed grant: its columns, its row filter, what is in clear', () => {
    expect(
      lines({
        columns: ['nric', 'region_code', 'age'],
        rowFilter: [{ column: 'region_code', op: 'in', values: ['CR', 'ER'] }],
        inClear: ['nric'],
        expiresAt: '2027-03-31T08:00:00.000Z',
        status: 'active',
      }),
    ).toEqual([
      'Columns: nric, region_code, age',
      'Rows where region_code is CR or ER',
      'In clear: nric; other identifiers masked',
      'Until 31 Mar 2027',
    ])
  })

  it('says when and why a grant was revoked, and when an expired one ended', () => {
    const revoked = lines({
      columns: null,
      rowFilter: [],
      inClear: [],
      hasIdentifiers: false,
      expiresAt: '2027-03-31T08:00:00.000Z',
      status: 'revoked',
      revoked: { at: '2026-12-05T02:00:00.000Z', by: 'steward.dos', reason: 'Project ended' },
    })
    expect(revoked).toEqual([
      'Columns: all',
      'Rows: all',
      'Revoked 5 Dec 2026 by steward.dos: Project ended',
    ])
    cleanup()
    expect(
      lines({
        columns: null,
        rowFilter: [],
        inClear: [],
        hasIdentifiers: false,
        expiresAt: '2026-01-31T08:00:00.000Z',
        status: 'expired',
      }).at(-1),
    ).toBe('Ended 31 Jan 2026')
  })
})
