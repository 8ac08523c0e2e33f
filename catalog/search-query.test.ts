import { describe, expect, it } from 'vitest'
import { candidateKeys, readQuery } from './search-query.js'
import { isIdentifier, searchKey, splitIdentifiers } from './search-text.js'

const NRIC = { term: 'NRIC/FIN', keys: ['nric fin', 'identity card number', 'nric', 'fin'] }
const ADDRESS = { term: 'Address', keys: ['address', 'home address', 'where they live'] }
const PERSON = { term: 'Person', keys: ['person', 'people'] }

describe('reading a search for meaning', () => {
  it('splits identifiers as the documents are split', () => {
    expect(splitIdentifiers('NRIC/FIN postal_code postalCode OneMap')).toBe(
      'NRIC FIN postal code postal Code One Map',
    )
    expect(searchKey('NRIC/FIN')).toBe('nric fin')
    expect(searchKey('  Postal-code ')).toBe('postal code')
    expect(['NRIC/FIN', 'postal_code', 'postalCode', 'NRIC', 'e-mail'].map(isIdentifier)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ])
    expect(readQuery('postal_code -x_svy21 OneMap', [])).toEqual({
      rest: '"postal code" -"x svy21" "One Map"',
      terms: [],
    })
  })

  it('offers every run of up to six words as a term key', () => {
    expect(candidateKeys('home address "quoted words" NRIC/FIN')).toEqual([
      'home',
      'home address',
      'address',
      'nric',
      'nric fin',
      'fin',
    ])
  })

  it('replaces the longest phrase naming a term by all its names', () => {
    expect(readQuery('people where they live', [NRIC, ADDRESS, PERSON])).toEqual({
      rest: '',
      terms: [
        { term: 'Person', phrases: ['person', 'people'] },
        { term: 'Address', phrases: ['address', 'home address', 'where they live'] },
      ],
    })
    expect(readQuery('NRIC holders -expired', [NRIC])).toEqual({
      rest: 'holders -expired',
      terms: [{ term: 'NRIC/FIN', phrases: NRIC.keys }],
    })
    expect(readQuery('NRIC/FIN', [NRIC]).terms.map((t) => t.term)).toEqual(['NRIC/FIN'])
  })

  it('leaves quoted phrases, exclusions and OR as typed', () => {
    expect(readQuery('"home address" -nric', [NRIC, ADDRESS])).toEqual({
      rest: '"home address" -nric',
      terms: [],
    })
    expect(readQuery('nric or address', [NRIC, ADDRESS])).toEqual({
      rest: 'nric or address',
      terms: [],
    })
  })
})
