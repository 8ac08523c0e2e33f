import { describe, expect, it } from 'vitest'
import {
  fillPlaceholders,
  literalsFor,
  placeholdersIn,
  type QueryParameter,
} from './saved-query-parameters.js'

const names = (sql: string) => placeholdersIn(sql).map((p) => p.name)

describe('finding $name parameters', () => {
  it('finds them outside strings, quoted names, dollar quotes and comments', () => {
    expect(
      names(
        `SELECT a$b, E'\\' $e', 'it''s $f', "$c", $$ $d $$, $t$ $g $t$ /* $h /* $i */ $j */ -- $k
         FROM t WHERE x = $region AND y::INT > $min AND z = $region`,
      ),
    ).toEqual(['region', 'min', 'region'])
  })

  it('takes no numbered parameter for a named one', () => {
    expect(names('SELECT $1, ?')).toEqual([])
  })
})

describe('filling parameters in', () => {
  const parameters: QueryParameter[] = [
    { name: 'area', type: 'text', choices: null },
    { name: 'n', type: 'integer', choices: null },
    { name: 'x', type: 'number', choices: null },
    { name: 'day', type: 'date', choices: null },
  ]
  const fill = (sql: string, values: Record<string, string | number>) =>
    fillPlaceholders(sql, placeholdersIn(sql), literalsFor(parameters, values))
  const SQL = 'SELECT * FROM t WHERE a = $area AND n-$n > 0 AND x < $x AND d >= $day'

  it('makes each value one literal of its type, quotes doubled', () => {
    expect(fill(SQL, { area: "O'Neil'); DROP --", n: -2, x: '1.5e3', day: '2026-02-28' })).toBe(
      "SELECT * FROM t WHERE a = ('O''Neil''); DROP --') AND n-(-2) > 0 AND x < (1.5e3) AND d >= (DATE '2026-02-28')",
    )
  })

  it.each([
    [{ n: 1, x: 1, day: '2026-01-01' }, 'values.area: give a value (any text)'],
    [{ area: 'a', n: '1 OR 1=1', x: 1, day: '2026-01-01' }, 'values.n:'],
    [{ area: 'a', n: 1, x: '1; DROP', day: '2026-01-01' }, 'values.x:'],
    [{ area: 'a', n: 1, x: 1, day: '2026-02-29' }, 'values.day:'],
    [{ area: 'a', n: 1, x: 1, day: '2026-01-01', y: 2 }, 'values.y: this query has no such'],
  ])('refuses %j', (values, message) => {
    expect(() => fill(SQL, values)).toThrow(message)
  })

  it('holds a value to its choices', () => {
    const chosen: QueryParameter[] = [{ name: 'n', type: 'integer', choices: ['1', '2'] }]
    expect(literalsFor(chosen, { n: '02' }).get('n')).toBe('(2)')
    expect(() => literalsFor(chosen, { n: 3 })).toThrow("values.n: choose one of '1', '2'")
  })
})
