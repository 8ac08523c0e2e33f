import { describe, expect, it } from 'vitest'
import { createGateVerdicts } from './gate-verdicts.js'
import type { GateVerdict } from './sql-gate.js'

/** A judge that counts how often it is asked. */
const counting = (verdict: GateVerdict) => {
  const asked = { count: 0 }
  const judge = async () => {
    asked.count++
    return verdict
  }
  return { asked, judge }
}

describe('the gate’s verdicts remembered', () => {
  it('asks the worker once for a text over the same view names, in any order', async () => {
    const verdicts = createGateVerdicts()
    const { asked, judge } = counting({ ok: true, views: ['a'] })
    expect(await verdicts.judge('SELECT * FROM a', ['a', 'b'], judge)).toEqual({
      ok: true,
      views: ['a'],
    })
    expect(await verdicts.judge('SELECT * FROM a', ['b', 'a'], judge)).toEqual({
      ok: true,
      views: ['a'],
    })
    expect(asked.count).toBe(1)
  })

  it('asks again for other view names or another text, and every time for a refusal', async () => {
    const verdicts = createGateVerdicts()
    const { asked, judge } = counting({ ok: true, views: ['a'] })
    await verdicts.judge('SELECT * FROM a', ['a'], judge)
    await verdicts.judge('SELECT * FROM a', ['a', 'c'], judge)
    await verdicts.judge('SELECT * FROM a ', ['a'], judge)
    expect(asked.count).toBe(3)
    const refused = counting({ ok: false, message: 'no', unknownView: 'x' })
    await verdicts.judge('SELECT * FROM x', ['a'], refused.judge)
    await verdicts.judge('SELECT * FROM x', ['a'], refused.judge)
    expect(refused.asked.count).toBe(2)
  })

  it('forgets the least recently used beyond its bound', async () => {
    const verdicts = createGateVerdicts(2)
    const { asked, judge } = counting({ ok: true, views: [] })
    await verdicts.judge('1', [], judge)
    await verdicts.judge('2', [], judge)
    await verdicts.judge('1', [], judge)
    await verdicts.judge('3', [], judge)
    expect(verdicts.size()).toBe(2)
    await verdicts.judge('1', [], judge)
    expect(asked.count).toBe(3)
    await verdicts.judge('2', [], judge)
    expect(asked.count).toBe(4)
  })
})
