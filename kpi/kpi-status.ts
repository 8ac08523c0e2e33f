import type { KpiDefinition, KpiTarget } from './kpi-definition.js'

export const KPI_STATUSES = ['met', 'on track', 'at risk', 'missed'] as const
export type KpiStatus = (typeof KPI_STATUSES)[number]

/** How a status is decided, as the dashboard and the API document it. */
export const STATUS_RULE =
  'Met: the value reaches the target (a band counts from its lower end; "no more than" targets are met at or below the limit). ' +
  'A year that has ended and did not reach the target is missed. ' +
  'For the year still running: on track when the value is within 5% of the target, at risk otherwise.'

/** Within this share of the target, a running year is on track. */
const ON_TRACK_WITHIN = 0.05

/** The value a target must reach (or not exceed, for "at most"). */
export function targetThreshold(target: KpiTarget): number {
  return target.kind === 'band' ? target.low : target.value
}

export function meetsTarget(target: KpiTarget, value: number): boolean {
  return target.kind === 'at-most' ? value <= target.value : value >= targetThreshold(target)
}

/**
 * The status of a KPI's value for a period by STATUS_RULE; `closed` says the period has ended.
 */
export function kpiStatus(
  definition: Pick<KpiDefinition, 'target'>,
  value: number,
  closed: boolean,
  target: KpiTarget = definition.target,
): KpiStatus {
  if (meetsTarget(target, value)) return 'met'
  if (closed) return 'missed'
  const threshold = targetThreshold(target)
  const gap = target.kind === 'at-most' ? value - threshold : threshold - value
  return gap <= Math.abs(threshold) * ON_TRACK_WITHIN ? 'on track' : 'at risk'
}
