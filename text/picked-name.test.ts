import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { nameKey, normalizeName, pickedName, unseenCharacterIn } from './picked-name.js'

describe('the rule for names people pick from a list', () => {
  it.each([
    ['Popu\u200Blation', 'contains an invisible character U+200B'],
    ['Popu\u200Dlation', 'contains an invisible character U+200D'],
    ['\uFEFFPopulation', 'contains an invisible character U+FEFF'],
    ['Population\u202E', 'contains an invisible character U+202E'],
    ['Popu\u0000lation', 'contains a control character U+0000'],
    ['Popu\u0007lation', 'contains a control character U+0007'],
    ['Popu\u2028lation', 'contains a line or paragraph separator U+2028'],
    ['Popu\uE000lation', 'contains a private-use character U+E000'],
    ['Popu\uD800lation', 'contains a lone surrogate U+D800'],
    ['Popu\u{E0001}lation', 'contains an invisible character U+E0001'],
    ['Popu\u0378lation', 'contains an unassigned code point U+0378'],
  ])('refuses %j: %s', (name, reason) => {
    expect(unseenCharacterIn(name)).toBe(reason)
    const result = z.object({ term: pickedName({ max: 100 }) }).safeParse({ term: name })
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['term'], message: reason }),
    ])
  })

  it.each([
    ['Ｐｏｐｕｌａｔｉｏｎ', 'Population'],
    ['\uFB01le', 'file'],
    ['Cafe\u0301', 'Café'],
    ['  planning\t\tarea \n code ', 'planning area code'],
    ['planning\u00A0area\u3000code', 'planning area code'],
    ['Région', 'Région'],
    ['人口', '人口'],
  ])('keeps %j as %j', (name, kept) => {
    expect(unseenCharacterIn(name)).toBeUndefined()
    expect(normalizeName(name)).toBe(kept)
    expect(pickedName({ max: 100 }).parse(name)).toBe(kept)
  })

  it('bounds a name as sent and as normalised, and says how short is too short', () => {
    const term = pickedName({ max: 5, min: 2, tooShort: 'a term needs at least 2 characters' })
    expect(term.safeParse('abcdef').error?.issues[0]?.message).toBe('at most 5 characters')
    // One character that NFKC writes as three.
    expect(term.safeParse('ab\uFB03c').error?.issues[0]?.message).toBe(
      'at most 5 characters once normalised',
    )
    expect(term.safeParse('  x  ').error?.issues[0]?.message).toBe(
      'a term needs at least 2 characters',
    )
    expect(z.toJSONSchema(term, { io: 'input' })).toMatchObject({ type: 'string', maxLength: 5 })
  })

  it('compares names by what people see, whatever the letter case', () => {
    expect(nameKey('Ｐｏｐｕｌａｔｉｏｎ')).toBe(nameKey('population'))
    expect(nameKey('Popu\u200Blation')).toBe(nameKey('POPULATION'))
    expect(nameKey('Straße')).toBe(nameKey('STRASSE'))
    expect(nameKey('Population')).not.toBe(nameKey('Populations'))
  })
})
