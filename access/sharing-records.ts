import type { Kysely } from 'kysely'
import type { AccessTables } from './access-tables.js'

/**
 * One decided request as the KPI "time required to share data for cross-agency projects" reads
 * it: how many working days from submission to decision and to grant (pauses for the
 * requester's answers excluded), and whether it crossed agencies.
 */
export interface SharingRecord {
  requestId: string
  dataset: string
  datasetTitle: string
  /** Who asked: with the owning agency, what decides who may open the request. */
  requesterId: string
  owningAgency: string
  requesterAgency: string
  crossAgency: boolean
  submittedAt: Date
  decidedAt: Date
  outcome: 'approved' | 'rejected'
  decisionWorkingDays: number
  /** Undefined when rejected. */
  grantWorkingDays: number | undefined
  /** The cross-agency project the data is for, when the requester named one. */
  project: string | undefined
}

/** The requests decided in [from, to), oldest decision first. */
export async function sharingRecords(
  db: Kysely<AccessTables>,
  range: { from: Date; to: Date },
): Promise<SharingRecord[]> {
  const rows = await db
    .selectFrom('access_requests as r')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .leftJoin('grants as g', 'g.request_id', 'r.id')
    .select([
      'r.id',
      'd.slug',
      'd.title',
      'r.requester_id',
      'r.agency',
      'r.requester_agency',
      'r.cross_agency',
      'r.submitted_at',
      'r.decided_at',
      'r.state',
      'r.decision_working_days',
      'g.grant_working_days',
      'r.project',
    ])
    .where('r.state', 'in', ['approved', 'rejected'])
    .where('r.decided_at', '>=', range.from)
    .where('r.decided_at', '<', range.to)
    .orderBy('r.decided_at')
    .execute()
  return rows.map((r) => ({
    requestId: r.id,
    dataset: r.slug,
    datasetTitle: r.title,
    requesterId: r.requester_id,
    owningAgency: r.agency,
    requesterAgency: r.requester_agency,
    crossAgency: r.cross_agency,
    submittedAt: r.submitted_at,
    decidedAt: r.decided_at ?? r.submitted_at,
    outcome: r.state as SharingRecord['outcome'],
    decisionWorkingDays: r.decision_working_days ?? 0,
    grantWorkingDays: r.grant_working_days ?? undefined,
    project: r.project?.name ?? undefined,
  }))
}
