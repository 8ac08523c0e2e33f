import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}',
    )
  })

  it('writes what JSON.stringify writes of the same value with its keys sorted', () => {
    const value = {
      z: undefined,
      y: [undefined, 1, () => 1, Number.NaN],
      x: new Date(Date.UTC(2026, 11, 7)),
      10: 'ten',
      2: 'two',
      w: { v: Number.POSITIVE_INFINITY, u: () => 1, t: 'ü\u2028' },
    }
    expect(canonicalJson(value)).toBe(
      '{"2":"two","10":"ten","w":{"t":"ü\u2028","v":null},"x":"2026-12-07T00:00:00.000Z","y":[null,1,null,null]}',
    )
  })

  it('keeps a key named __proto__ as a key, as JSON.parse gave it', () => {
    const sent = JSON.parse('{"b":1,"__proto__":{"admin":true}}')
    expect(canonicalJson(sent)).toBe('{"__proto__":{"admin":true},"b":1}')
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })
})
