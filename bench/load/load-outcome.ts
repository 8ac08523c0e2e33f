import { nearestRankPercentile } from '../report/percentile.js'
import { LOAD_KINDS, type LoadKind } from './load-mix.js'

/** How one HTTP call of the load bench ended. */
export interface CallOutcome {
  kind: LoadKind
  /** Milliseconds since the level started. */
  startMs: number
  endMs: number
  /** The HTTP status, or why there was none. */
  status: number | 'timeout' | 'network' | 'aborted'
  /** The status the call expected (200, or 201 for a submission). */
  ok: boolean
  /** The answer's `error.message` (or the exception's), for calls that failed. */
  message?: string
}

/** Latency percentiles and errors of a set of calls. */
export interface LatencySummary {
  count: number
  errors: number
  p50: number
  p95: number
  p99: number
}

/** Failed calls of one kind with one status, and the first message seen. */
export interface ErrorGroup {
  kind: LoadKind
  status: CallOutcome['status']
  count: number
  message: string
}

/** What one level's calls add up to. */
export interface CallSummary {
  all: LatencySummary
  /** Calls answered within the level's seconds, per second of the level. */
  throughput: number
  perKind: Map<LoadKind, LatencySummary>
  errorGroups: ErrorGroup[]
  /** Calls answered in each second of the level. */
  perSecond: number[]
}

/** Latency percentiles (of every call, failed ones included: a user waited for those too). */
export function summariseLatency(outcomes: readonly CallOutcome[]): LatencySummary {
  const sorted = outcomes.map((o) => o.endMs - o.startMs).sort((a, b) => a - b)
  return {
    count: outcomes.length,
    errors: outcomes.filter((o) => !o.ok).length,
    p50: nearestRankPercentile(sorted, 0.5),
    p95: nearestRankPercentile(sorted, 0.95),
    p99: nearestRankPercentile(sorted, 0.99),
  }
}

/** Sums up a level's calls: throughput, latency overall and per kind, errors by kind and status. */
export function summariseCalls(outcomes: readonly CallOutcome[], seconds: number): CallSummary {
  const perSecond = Array.from({ length: seconds }, () => 0)
  for (const o of outcomes) {
    const second = Math.floor(o.endMs / 1000)
    if (second < seconds) perSecond[second] = (perSecond[second] ?? 0) + 1
  }
  const perKind = new Map<LoadKind, LatencySummary>()
  for (const kind of LOAD_KINDS) {
    const of = outcomes.filter((o) => o.kind === kind)
    if (of.length > 0) perKind.set(kind, summariseLatency(of))
  }
  const groups = new Map<string, ErrorGroup>()
  for (const o of outcomes.filter((x) => !x.ok)) {
    const key = `${o.kind} ${o.status}`
    const group = groups.get(key)
    if (group) group.count++
    else groups.set(key, { kind: o.kind, status: o.status, count: 1, message: o.message ?? '' })
  }
  return {
    all: summariseLatency(outcomes),
    throughput: perSecond.reduce((a, b) => a + b, 0) / seconds,
    perKind,
    errorGroups: [...groups.values()].sort((a, b) => b.count - a.count),
    perSecond,
  }
}
