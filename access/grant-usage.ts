import { type Kysely, sql } from 'kysely'
import type { GrantUsage } from './access-request.js'
import type { AccessTables } from './access-tables.js'

/** The kinds of use counted: a query that answered, a download read to its end. */
export type GrantUseKind = 'queries' | 'downloads'

/**
 * Counts one use of a grant by its grantee, at `at`. One row per grant, its counters added to
 * in place, so that reading a grant's usage never scans a log.
 * @example await recordGrantUse(db, 'g_…', 'queries', new Date())
 */
export async function recordGrantUse(
  db: Kysely<AccessTables>,
  grantId: string,
  kind: GrantUseKind,
  at: Date,
): Promise<void> {
  await db
    .insertInto('grant_usage')
    .values({
      grant_id: grantId,
      queries: kind === 'queries' ? 1 : 0,
      downloads: kind === 'downloads' ? 1 : 0,
      last_used_at: at,
    })
    .onConflict((oc) =>
      oc.column('grant_id').doUpdateSet({
        queries: sql`grant_usage.queries + excluded.queries`,
        downloads: sql`grant_usage.downloads + excluded.downloads`,
        last_used_at: sql`greatest(grant_usage.last_used_at, excluded.last_used_at)`,
      }),
    )
    .execute()
}

/** A grant's usage from the columns `grantQuery` joins (null when never used). */
export function toGrantUsage(row: {
  usage_queries: number | null
  usage_downloads: number | null
  usage_last_used_at: Date | null
}): GrantUsage {
  return {
    queries: row.usage_queries ?? 0,
    downloads: row.usage_downloads ?? 0,
    lastUsedAt: row.usage_last_used_at ?? undefined,
  }
}
