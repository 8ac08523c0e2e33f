import { describe, expect, it } from 'vitest'
import { isValidUen, uenCheckLetter } from './uen.js'

describe('UEN check letters', () => {
  it('validates the examples of DOMAIN.md §1.2', () => {
    for (const uen of [
      '00192200M',
      '197401143C',
      'S16FC0121D',
      'T01FC6132D',
      '12345678M',
      '53000001J',
      '202300001K',
      '202412345D',
      'T23LL0001B',
      'T24LP1234B',
      'S99SS0001F',
    ]) {
      expect(isValidUen(uen), uen).toBe(true)
    }
  })

  it('refuses a wrong letter, an unknown entity type and bad shapes', () => {
    for (const uen of ['00192200X', 'T09LL0001B', 'T23ZZ0001X', '1974011C', 't23ll0001b', ''])
      expect(isValidUen(uen), uen).toBe(false)
    expect(uenCheckLetter('other', 'T09LL0001')).toBe('D')
  })
})
