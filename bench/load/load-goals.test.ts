import { describe, expect, it } from 'vitest'
import { goalsLine, kindFigures, whatGaveWay } from './load-goals.js'
import type { LevelResult } from './load-level.js'
import type { CallOutcome } from './load-outcome.js'
import { summariseCalls } from './load-outcome.js'

const call = (kind: CallOutcome['kind'], ms: number, status: CallOutcome['status'] = 200) => ({
  kind,
  startMs: 0,
  endMs: ms,
  status,
  ok: status === 200,
})
const level = (users: number): LevelResult => ({
  users,
  startedAt: new Date(0),
  endedAt: new Date(0),
  seconds: 10,
  thinkMs: 1000,
  outcomes: [],
  steps: 0,
  memory: [
    { name: 'replica a', samples: [], peakMb: 300, endMb: 290, cores: 0.7 },
    { name: 'PostgreSQL', samples: [], peakMb: 500, endMb: 400, cores: 0.2 },
  ],
  database: [],
  machineBusy: 0.95,
  cores: 2,
})

describe('the load bench’s goals', () => {
  it('gives the slowest kind’s p99 the goal at 200 users only, each kind’s p99 beside it', () => {
    const s = summariseCalls([call('search', 300), call('query', 1500)], 10)
    const at200 = kindFigures(200, s)
    expect(at200[0]).toMatchObject({
      key: 'load.200.p99.slowest-kind',
      value: 1500,
      goal: { at: 'most', value: 1000, source: 'issue 25' },
    })
    expect(at200.map((f) => f.key)).toEqual([
      'load.200.p99.slowest-kind',
      'load.200.p99.search',
      'load.200.p99.query',
    ])
    expect(kindFigures(400, s)[0]).not.toHaveProperty('goal')
    expect(goalsLine(level(200), s)).toMatch(
      /zero errors, met \(0\).*\*\*not met\*\* \(slowest: query 1,500 ms\)/,
    )
    expect(goalsLine(level(400), s)).toBeUndefined()
  })

  it('says what gave way first: errors, else latency past the goal, and the busiest process', () => {
    const failing = summariseCalls([call('query', 100, 503), call('search', 2000)], 10)
    expect(whatGaveWay(level(400), failing)).toMatch(/errors first: query 503 ×1/)
    const slow = summariseCalls([call('query', 100), call('search', 2000)], 10)
    expect(whatGaveWay(level(400), slow)).toMatch(/latency first: search p99 2,000 ms/)
    expect(whatGaveWay(level(400), slow)).toMatch(
      /replica a used the most CPU \(0\.70 cores\), PostgreSQL held the most memory \(peak 500 MB\)/,
    )
    const fine = summariseCalls([call('query', 100)], 10)
    expect(whatGaveWay(level(400), fine)).toMatch(/nothing: no errors/)
  })
})
