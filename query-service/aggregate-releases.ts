import type { Kysely } from 'kysely'
import { QueryRefusedError } from './errors.js'
import type { QueryServiceTables } from './migrations.js'
import type { Release } from './worker-protocol.js'

/** What a person was given from a dataset before, as the differencing check reads it. */
export interface EarlierReleases {
  releases: (Release & { query: string })[]
  /** How many answers were released: the next one is released as number seq + 1, or not at all. */
  seq: number
}

/** The aggregate answers released to each person, per dataset, for the differencing check. */
export function createAggregateReleases(db: Kysely<QueryServiceTables>) {
  return {
    /** Every answer released to the person from the dataset (the same answer once), oldest first. */
    async earlier(granteeId: string, datasetId: string): Promise<EarlierReleases> {
      const rows = await db
        .selectFrom('aggregate_releases')
        .selectAll()
        .where('grantee_id', '=', granteeId)
        .where('dataset_id', '=', datasetId)
        .orderBy('seq')
        .execute()
      const seen = new Set<string>()
      const distinct = rows.filter((r) => {
        const key = JSON.stringify([r.cell_sql, r.where_sql, r.cells])
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      return {
        releases: distinct.map((r) => ({
          query: r.query_id,
          cell: r.cell_sql,
          where: r.where_sql ?? undefined,
          groups: r.groups,
          cells: r.cells,
        })),
        seq: rows.at(-1)?.seq ?? 0,
      }
    },

    /**
     * Records an answer as released, as the next after the `seq` it was checked against; if
     * another was released meanwhile (on any replica), this one was not checked against it and
     * is refused: ask again.
     */
    async record(
      release: Release,
      what: { queryId: string; granteeId: string; datasetId: string; seq: number },
      now: Date,
    ): Promise<void> {
      await db
        .insertInto('aggregate_releases')
        .values({
          query_id: what.queryId,
          grantee_id: what.granteeId,
          dataset_id: what.datasetId,
          seq: what.seq + 1,
          cell_sql: release.cell,
          where_sql: release.where ?? null,
          groups: JSON.stringify(release.groups),
          cells: JSON.stringify(release.cells),
          released_at: now,
        })
        .execute()
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === '23505')
            throw new QueryRefusedError(
              'Another of your aggregate answers from this dataset was released while this one was being checked, so it was not checked against that one: ask again',
            )
          throw error
        })
    },
  }
}

export type AggregateReleases = ReturnType<typeof createAggregateReleases>
