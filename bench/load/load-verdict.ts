import { nearestRankPercentile } from '../report/percentile.js'
import type { LevelResult } from './load-level.js'
import type { CallSummary } from './load-outcome.js'

/** A level's measurements with what the query history says about its queries. */
export interface ReportedLevel extends LevelResult {
  /** How long each query ran once it had a slot and a sandbox (ms). */
  queryRunMs: number[]
}

/** CPU cores the bench's own processes used on average (replicas, PostgreSQL, load generator). */
export function busyCores(level: LevelResult): number {
  return level.memory.reduce((sum, m) => sum + m.cores, 0)
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en')}`

/** What gave way first between the lowest and the highest level, from the measurements. */
export function whatBreaksFirst(
  levels: readonly ReportedLevel[],
  summaries: CallSummary[],
): string {
  const low = levels[0]
  const high = levels.at(-1)
  const sLow = summaries[0]
  const sHigh = summaries.at(-1)
  if (!low || !high || !sLow || !sHigh) return 'No levels ran.'
  const sentences: string[] = []
  sentences.push(
    sLow.all.errors === 0
      ? `At ${low.users} users every one of the ${sLow.all.count.toLocaleString('en')} requests succeeded (zero errors).`
      : `At ${low.users} users ${sLow.all.errors} of ${sLow.all.count.toLocaleString('en')} requests failed, first ${describe(sLow.errorGroups[0])}.`,
  )
  if (high === low) return sentences.join(' ')
  const growth = sHigh.throughput / (sLow.throughput || 1)
  const userRatio = high.users / low.users
  const grown = [...sHigh.perKind]
    .map(([kind, k]) => ({ kind, k, from: sLow.perKind.get(kind) }))
    .filter((x) => x.from && x.from.count >= 20 && x.k.count >= 20)
    .map((x) => ({ ...x, ratio: x.k.p99 / Math.max(1, x.from?.p99 ?? 1) }))
    .sort((a, b) => b.ratio - a.ratio)[0]
  const slowest = [...sHigh.perKind].sort(([, a], [, b]) => b.p95 - a.p95)[0]
  const busiest = [...high.memory].sort((a, b) => b.cores - a.cores)
  const ours = busyCores(high)
  const others = Math.max(0, high.machineBusy * high.cores - ours)
  const cpu = `the bench's processes used ${ours.toFixed(2)} of the machine's ${high.cores} cores (${busiest.map((m) => `${m.name} ${m.cores.toFixed(2)}`).join(', ')}) and the machine was ${Math.round(high.machineBusy * 100)} % busy${others >= 0.2 ? ` (other work on the machine took about ${others.toFixed(1)} cores)` : ''}`
  const saturated = high.machineBusy >= 0.9
  if (sHigh.all.errors > 0)
    sentences.push(
      `**At ${high.users} users the first thing to break is ${describe(sHigh.errorGroups[0])}**: ${sHigh.all.errors} of ${sHigh.all.count.toLocaleString('en')} requests failed (${sHigh.errorGroups.map((g) => `${g.kind} ${g.status} ×${g.count}`).join(', ')}).`,
    )
  else
    sentences.push(
      `At ${high.users} users nothing was refused (zero errors)${sHigh.all.p95 >= 2 * sLow.all.p95 ? '; what gives first is latency' : ''}.`,
    )
  sentences.push(
    `Throughput grew ${growth.toFixed(1)}× for ${userRatio.toFixed(0)}× the users (${sLow.throughput.toFixed(1)} → ${sHigh.throughput.toFixed(1)} req/s) while p95 went from ${ms(sLow.all.p95)} to ${ms(sHigh.all.p95)} ms and p99 from ${ms(sLow.all.p99)} to ${ms(sHigh.all.p99)} ms; ${cpu}${saturated ? ': the CPU is saturated, so requests queue for it' : ''}.`,
  )
  if (slowest)
    sentences.push(
      `The slowest kind at ${high.users} users is **${slowest[0]}** (p95 ${ms(slowest[1].p95)} ms, p99 ${ms(slowest[1].p99)} ms)${grown ? `; the kind whose p99 grew most is **${grown.kind}** (${ms(grown.from?.p99 ?? 0)} → ${ms(grown.k.p99)} ms, ×${grown.ratio.toFixed(1)})` : ''}.`,
    )
  const lockWaits = high.database.map((d) => d.waitingForAuditLock)
  const lockMean = lockWaits.reduce((a, b) => a + b, 0) / (lockWaits.length || 1)
  if (lockMean >= 1)
    sentences.push(
      `Audited actions queue for the audit chain's lock, which serialises them across both replicas: on average ${lockMean.toFixed(1)} connections (peak ${Math.max(...lockWaits)}) were waiting for it, each holding a connection of its replica's pool meanwhile.`,
    )
  else if (high.database.length > 0)
    sentences.push(
      `PostgreSQL was not the limit: at most ${Math.max(...high.database.map((d) => d.active))} of its connections were active at once, and on average ${lockMean.toFixed(1)} waited for the audit chain's lock.`,
    )
  const queryCall = sHigh.perKind.get('query')
  const run = [...high.queryRunMs].sort((a, b) => a - b)
  if (queryCall && run.length > 0)
    sentences.push(
      `A workbench query took p50 ${ms(queryCall.p50)} ms end to end at ${high.users} users, of which the query itself ran p50 ${ms(nearestRankPercentile(run, 0.5))} ms: the rest is spent around it (waiting for a slot of the query pool, \`QUERY_MAX_RUNNING\` per replica, and for CPU; entitlements, a fresh sandbox, history and audit).`,
    )
  return sentences.join(' ')
}

function describe(group: CallSummary['errorGroups'][number] | undefined): string {
  if (!group) return 'nothing'
  return `${group.kind} answering ${group.status}${group.message ? ` (“${group.message.slice(0, 140)}”)` : ''}`
}
