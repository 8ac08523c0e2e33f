import type { SharingRecord } from '../access/index.js'
import { type AppAbility, asSubject } from '../identity/index.js'
import { periodLabel } from './kpi-row.js'
import { countedSharingRecords, type SharingKpi, sharingPeriodOf } from './platform-kpis.js'

/** A request a sharing KPI counts, as its list shows it to someone who may open the request. */
export interface CountedRequest {
  id: string
  period: string
  dataset: { slug: string; title: string }
  requesterAgency: string
  owningAgency: string
  project: string | null
  submittedAt: Date
  decidedAt: Date
  /** Working days from submission to grant (what KPI 14's median is taken of). */
  grantWorkingDays: number | null
  /** Whether the caller may open the request itself (its purpose, its requester, its history). */
  canOpen: boolean
}

/** The requests a sharing KPI counts in a period (or every period): those the caller may open. */
export interface CountedRequests {
  number: SharingKpi
  /** Null: every period. */
  period: string | null
  /** Every request the KPI counts, shown or not. */
  counted: number
  requests: CountedRequest[]
  /** Counted requests the caller may not see listed, counted only. */
  notShown: number
}

/**
 * The requests KPI 12 or 14 counts in a period (or every period), by the same rule that measures
 * the KPI. Those who may read sharing statistics (leaders, administrators, auditors) see every
 * one listed, by agencies, dataset and dates, which name no person; others see those they may
 * open. Opening a request is for whom the ability that scopes every list of requests allows
 * (their own requests; their agency's for stewards; all for administrators and auditors).
 * @example countedRequests(14, records, { year: 2026, quarter: 4 }, ability)
 */
export function countedRequests(
  number: SharingKpi,
  records: readonly SharingRecord[],
  period: { year: number; quarter: number } | undefined,
  ability: AppAbility,
): CountedRequests {
  const counted = countedSharingRecords(number, records).filter((r) => {
    const of = sharingPeriodOf(number, r)
    return !period || (of.year === period.year && of.quarter === period.quarter)
  })
  const statistics = ability.can('read', 'SharingStatistics')
  const canOpen = (r: SharingRecord) =>
    ability.can(
      'read',
      asSubject('AccessRequest', { requesterId: r.requesterId, agency: r.owningAgency }),
    )
  const shown = counted.filter((r) => statistics || canOpen(r))
  return {
    number,
    period: period ? periodLabel(period.year, period.quarter) : null,
    counted: counted.length,
    requests: shown
      .map((r) => {
        const of = sharingPeriodOf(number, r)
        return {
          id: r.requestId,
          period: periodLabel(of.year, of.quarter),
          dataset: { slug: r.dataset, title: r.datasetTitle },
          requesterAgency: r.requesterAgency,
          owningAgency: r.owningAgency,
          // The requester's own words: only for those who may open the request.
          project: canOpen(r) ? (r.project ?? null) : null,
          submittedAt: r.submittedAt,
          decidedAt: r.decidedAt,
          grantWorkingDays: r.grantWorkingDays ?? null,
          canOpen: canOpen(r),
        }
      })
      .reverse(),
    notShown: counted.length - shown.length,
  }
}
