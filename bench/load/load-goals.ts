import type { BenchFigure, BenchGoal } from '../report/bench-section.js'
import type { LevelResult } from './load-level.js'
import { LOAD_KINDS, type LoadKind } from './load-mix.js'
import type { CallSummary, LatencySummary } from './load-outcome.js'

/** The level issue 25's goals are set at: two replicas, this many users. */
export const GOAL_USERS = 200

/** Issue 25: every kind of call answered within a second at p99, and nothing refused. */
export const P99_GOAL_MS = 1_000
const SOURCE = 'issue 25'

/** The goal of a figure of this level, if the issue set one for it. */
export function goalAt(users: number, goal: Omit<BenchGoal, 'source'>): BenchGoal | undefined {
  return users === GOAL_USERS ? { ...goal, source: SOURCE } : undefined
}

/** The kind of call with the highest p99 at a level. */
export function slowestKind(s: CallSummary): [LoadKind, LatencySummary] | undefined {
  return [...s.perKind].sort(([, a], [, b]) => b.p99 - a.p99)[0]
}

/**
 * Each kind's p99 at a level, and the slowest kind's, which carries the goal at GOAL_USERS (every
 * kind within P99_GOAL_MS is the same as the slowest within it).
 */
export function kindFigures(users: number, s: CallSummary): BenchFigure[] {
  const slowest = slowestKind(s)
  const goal = goalAt(users, { at: 'most', value: P99_GOAL_MS })
  return [
    ...(slowest
      ? [
          {
            key: `load.${users}.p99.slowest-kind`,
            label: `${users} users: p99 of the slowest kind of call (${slowest[0]})`,
            value: Math.round(slowest[1].p99),
            unit: 'ms',
            better: 'lower' as const,
            ...(goal ? { goal } : {}),
          },
        ]
      : []),
    ...LOAD_KINDS.flatMap((kind) => {
      const k = s.perKind.get(kind)
      return k
        ? [
            {
              key: `load.${users}.p99.${kind}`,
              label: `${users} users: ${kind} p99`,
              value: Math.round(k.p99),
              unit: 'ms',
              better: 'lower' as const,
            },
          ]
        : []
    }),
  ]
}

/**
 * What gave way first at a level, in one sentence: the kinds refused or failed (most first),
 * else the kinds past the p99 goal (slowest first), else nothing; and the process that used
 * the most CPU and the one that held the most memory.
 */
export function whatGaveWay(level: LevelResult, s: CallSummary): string {
  const failing = s.errorGroups.filter((g) => g.count > 0)
  const slow = [...s.perKind]
    .filter(([, k]) => k.p99 > P99_GOAL_MS)
    .sort(([, a], [, b]) => b.p99 - a.p99)
  const busiest = [...level.memory].sort((a, b) => b.cores - a.cores)[0]
  const largest = [...level.memory].sort((a, b) => b.peakMb - a.peakMb)[0]
  const first =
    failing.length > 0
      ? `errors first: ${failing
          .slice(0, 3)
          .map((g) => `${g.kind} ${g.status} ×${g.count}`)
          .join(', ')}`
      : slow.length > 0
        ? `latency first: ${slow
            .slice(0, 3)
            .map(([kind, k]) => `${kind} p99 ${Math.round(k.p99).toLocaleString('en')} ms`)
            .join(', ')} past the ${P99_GOAL_MS.toLocaleString('en')} ms goal`
        : `nothing: no errors, and every kind's p99 within ${P99_GOAL_MS.toLocaleString('en')} ms`
  const processes = [
    busiest && `${busiest.name} used the most CPU (${busiest.cores.toFixed(2)} cores)`,
    largest && `${largest.name} held the most memory (peak ${Math.round(largest.peakMb)} MB)`,
  ].filter(Boolean)
  return `**At ${level.users} users what gave way was ${first}**${processes.length > 0 ? `; ${processes.join(', ')}` : ''}, with the machine ${Math.round(level.machineBusy * 100)} % busy.`
}

/** The goals of GOAL_USERS in one line: met or not, with the figures. */
export function goalsLine(level: LevelResult, s: CallSummary): string | undefined {
  if (level.users !== GOAL_USERS) return undefined
  const slowest = slowestKind(s)
  const p99 = slowest?.[1].p99 ?? 0
  const met = (ok: boolean) => (ok ? 'met' : '**not met**')
  return `Goals at ${GOAL_USERS} users (${SOURCE}): zero errors, ${met(s.all.errors === 0)} (${s.all.errors}); every kind's p99 within ${P99_GOAL_MS.toLocaleString('en')} ms, ${met(p99 <= P99_GOAL_MS)} (slowest: ${slowest?.[0] ?? 'none'} ${Math.round(p99).toLocaleString('en')} ms).`
}
