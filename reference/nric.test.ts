import { describe, expect, it } from 'vitest'
import { isValidUinfin, maskUinfin, uinfinCheckLetter } from './nric.js'

describe('NRIC/FIN check letters', () => {
  it('matches the worked examples of DOMAIN.md §1.1', () => {
    expect(['S', 'T', 'F', 'G', 'M'].map((p) => uinfinCheckLetter(p as 'S', '1234567'))).toEqual([
      'D',
      'J',
      'N',
      'X',
      'K',
    ])
    expect(['S', 'T', 'F', 'G', 'M'].map((p) => uinfinCheckLetter(p as 'S', '0000000'))).toEqual([
      'J',
      'G',
      'X',
      'R',
      'T',
    ])
  })

  it('validates the published MyInfo sandbox identifiers', () => {
    const published = ['S9812381D', 'S9812382B', 'S9812385G', 'S9912363Z', 'S6005053H']
    const fins = ['F1612347K', 'G1612348Q', 'G1612349N', 'G1612350T', 'G1612352N', 'G1612353L']
    for (const id of [...published, ...fins]) expect(isValidUinfin(id), id).toBe(true)
  })

  it('rejects a wrong letter, lower case, padding and bad shapes', () => {
    for (const id of [
      'S1234567A',
      's1234567d',
      ' S1234567D',
      'S123456D',
      'X1234567D',
      'M1234567B',
    ]) {
      expect(isValidUinfin(id), id).toBe(false)
    }
  })

  it('masks all but the last three digits and the letter', () => {
    expect(maskUinfin('S1234567D')).toBe('*****567D')
  })
})
