import type { Kysely } from 'kysely'
import type { QueryServiceTables } from './migrations.js'
import type { Release } from './worker-protocol.js'

/**
 * Earlier releases a new aggregate answer is compared with, newest first: differencing is checked
 * against this many, at most (the oldest beyond it are no longer compared).
 */
export const EARLIER_RELEASES_COMPARED = 200

/** The aggregate answers released to each person, per dataset, for the differencing check. */
export function createAggregateReleases(db: Kysely<QueryServiceTables>) {
  return {
    async earlier(granteeId: string, datasetId: string): Promise<(Release & { query: string })[]> {
      const rows = await db
        .selectFrom('aggregate_releases')
        .selectAll()
        .where('grantee_id', '=', granteeId)
        .where('dataset_id', '=', datasetId)
        .orderBy('released_at', 'desc')
        .orderBy('id', 'desc')
        .limit(EARLIER_RELEASES_COMPARED)
        .execute()
      return rows.map((r) => ({
        query: r.query_id,
        cell: r.cell_sql,
        where: r.where_sql ?? undefined,
        groups: r.groups,
        cells: r.cells,
      }))
    },

    async record(
      release: Release,
      what: { queryId: string; granteeId: string; datasetId: string },
      now: Date,
    ): Promise<void> {
      await db
        .insertInto('aggregate_releases')
        .values({
          query_id: what.queryId,
          grantee_id: what.granteeId,
          dataset_id: what.datasetId,
          cell_sql: release.cell,
          where_sql: release.where ?? null,
          groups: JSON.stringify(release.groups),
          cells: JSON.stringify(release.cells),
          released_at: now,
        })
        .execute()
    },
  }
}
