import type { Kysely } from 'kysely'
import type { QueryServiceTables } from './migrations.js'
import type { Release } from './worker-protocol.js'

/** The aggregate answers released to each person, per dataset, for the differencing check. */
export function createAggregateReleases(db: Kysely<QueryServiceTables>) {
  return {
    /** Every answer released to the person from the dataset (the same answer once), oldest first. */
    async earlier(granteeId: string, datasetId: string): Promise<(Release & { query: string })[]> {
      const rows = await db
        .selectFrom('aggregate_releases')
        .selectAll()
        .where('grantee_id', '=', granteeId)
        .where('dataset_id', '=', datasetId)
        .orderBy('id')
        .execute()
      const seen = new Set<string>()
      const distinct = rows.filter((r) => {
        const key = JSON.stringify([r.cell_sql, r.where_sql, r.cells])
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      return distinct.map((r) => ({
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
