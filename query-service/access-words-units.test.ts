import { describe, expect, it } from 'vitest'
import type { Entitlement } from '../access/index.js'
import { viewsOf } from './caller-views.js'
import { inPersonsWords } from './engine-words.js'
import { queryNotes } from './query-notes.js'
import { PARSE_SQL } from './sql-gate.js'
import { useGate } from './sql-gate-test-kit.js'
import { literalFiltersOf } from './sql-literal-filters.js'
import { unknownViewWords } from './unknown-view-words.js'

const gate = useGate()
const filtersOf = async (sql: string) => {
  const reader = await gate.connection.runAndReadAll(PARSE_SQL, [sql])
  return literalFiltersOf(String(reader.getRows()[0]?.[0]))
}

const persons: Entitlement = {
  dataset: { id: 'ds_persons', slug: 'persons', title: 'Persons', agency: 'DOS' },
  scope: 'full',
  basis: 'grant',
  grantId: 'g_1',
  files: [{ version: 1, path: 'datasets/persons/v1.parquet' }],
  columns: ['region_code', 'sex'],
  rowFilter: [
    { column: 'region_code', op: 'in', values: ['CR', 'ER'] },
    { column: 'age', op: 'gte', value: 18 },
  ],
  inClear: [],
  schema: [
    { name: 'nric', type: 'VARCHAR', personalData: 'direct-identifier' },
    { name: 'region_code', type: 'VARCHAR', personalData: 'none' },
    { name: 'sex', type: 'VARCHAR', personalData: 'quasi-identifier' },
    { name: 'race_code', type: 'VARCHAR', personalData: 'sensitive' },
  ],
  expiresAt: undefined,
  pseudonymScope: 'grant:g_1',
}
const sample: Entitlement = {
  ...persons,
  scope: 'sample',
  basis: 'sample',
  grantId: undefined,
  columns: undefined,
  rowFilter: [],
  dataset: { ...persons.dataset, id: 'ds_weather', slug: 'weather', title: 'Weather' },
}
const [view, weather] = viewsOf([persons, sample])
if (!view || !weather) throw new Error('views missing')

describe('the literal filters of a query', () => {
  it('finds equalities and IN lists ANDed into a WHERE, with the table an alias stands for', async () => {
    expect(
      await filtersOf(
        "SELECT * FROM persons p WHERE p.region_code = 'WR' AND (sex IN ('M', 1) AND 'x''y' = note)",
      ),
    ).toEqual([
      { table: 'persons', column: 'region_code', values: ['WR'], text: "p.region_code = 'WR'" },
      { column: 'sex', values: ['M', 1], text: "sex IN ('M', 1)" },
      { column: 'note', values: ["x'y"], text: "note = 'x''y'" },
    ])
  })

  it('leaves out what need not hold for every row: OR, NOT, expressions and NULL', async () => {
    expect(
      await filtersOf(
        "SELECT * FROM persons WHERE region_code = 'WR' OR sex = 'M' AND NOT (age = 1)",
      ),
    ).toEqual([])
    expect(await filtersOf('SELECT * FROM persons WHERE lower(sex) = 1 AND sex = NULL')).toEqual([])
  })
})

describe('the notes of an answer', () => {
  it('says which filter a grant’s row filter leaves no rows for', () => {
    const notes = queryNotes(
      [view],
      [{ column: 'region_code', values: ['WR', 'NR'], text: "region_code IN ('WR', 'NR')" }],
      0,
    )
    expect(notes).toEqual([
      "Your grant on Persons covers only rows where region_code is CR or ER; region_code IN ('WR', 'NR') matches none of them",
    ])
  })

  it('ignores filters on another table, or that meet the grant', () => {
    const other = {
      table: 'other',
      column: 'region_code',
      values: ['WR'],
      text: "o.region_code = 'WR'",
    }
    const meets = {
      column: 'region_code',
      values: ['WR', 'CR'],
      text: "region_code IN ('WR', 'CR')",
    }
    expect(queryNotes([view], [other, meets], 3)).toEqual([])
  })

  it('names the whole row filter of an empty answer, and nothing of views without one', () => {
    expect(queryNotes([view, weather], [], 0)).toEqual([
      'No rows: your grant on Persons covers only rows where region_code is CR or ER and age is at least 18',
    ])
  })
})

describe('DuckDB’s failures in words about the caller’s access', () => {
  const invalid = (message: string) =>
    inPersonsWords({ kind: 'invalid', message }, [view, weather]).message

  it('names a column the grant leaves out', () => {
    expect(
      invalid(
        'Binder Error: Referenced column "race_code" not found in FROM clause!\nCandidate bindings: "region_code", "sex"\n\nLINE 1: SELECT race_code FROM persons\n               ^',
      ),
    ).toBe(
      'race_code is not in your grant on Persons: ask a steward for it by requesting access with that column',
    )
  })

  it('suggests the nearest column, from DuckDB’s candidates or the view’s own', () => {
    expect(
      invalid(
        'Binder Error: Referenced column "sexx" not found in FROM clause!\nCandidate bindings: "weather_sample.region_code", "weather_sample.sex"\n\nLINE 1: …',
      ),
    ).toBe('There is no column sexx in persons or weather_sample; did you mean sex?')
    expect(
      invalid(
        'Binder Error: Values list "persons" does not have a column named "regon_code"\n\nLINE 1: …',
      ),
    ).toBe('There is no column regon_code in persons; did you mean region_code?')
  })

  it('drops the engine’s prefix and echo of the SQL from other failures', () => {
    expect(
      invalid(
        'Catalog Error: Scalar Function with name foo does not exist!\nDid you mean "floor"?\n\nLINE 1: SELECT foo(1)\n               ^',
      ),
    ).toBe('There is no function foo(); did you mean floor()?')
    expect(
      invalid(
        "Conversion Error: Could not convert string 'abc' to INT32\n\nLINE 1: SELECT 'abc'::INT\n               ^",
      ),
    ).toBe("Could not convert string 'abc' to INT32")
    const limit = { kind: 'limit' as const, limit: 'time' as const, message: 'Binder Error: x' }
    expect(inPersonsWords(limit, [view])).toBe(limit)
  })
})

describe('a name that is none of the caller’s views', () => {
  const grant = {
    dataset: { slug: 'persons', title: 'Persons' },
    grantee: { id: 'u_1' },
    expiresAt: new Date('2026-03-07T20:00:00Z'),
    revoked: undefined,
  }

  it('names the latest grant that ended on it, revoked or expired', () => {
    const revoked = {
      ...grant,
      status: 'revoked' as const,
      revoked: { at: new Date('2026-02-01T01:00:00Z'), reason: 'Misuse' },
    }
    expect(unknownViewWords('persons', [], [{ ...grant, status: 'expired' }, revoked])).toBe(
      'Your access to Persons ended on 8 Mar 2026: request it again to query it',
    )
    expect(unknownViewWords('persons_2', [], [revoked])).toBe(
      'Your access to Persons was revoked on 1 Feb 2026: Misuse',
    )
  })

  it('offers the sample, and says nothing of a name the caller holds nothing of', () => {
    expect(unknownViewWords('weather', [weather], [])).toBe(
      'You hold only the sample of Weather: query weather_sample, or request access to the full dataset',
    )
    expect(unknownViewWords('personsx', [view, weather], [{ ...grant, status: 'expired' }])).toBe(
      undefined,
    )
  })
})
