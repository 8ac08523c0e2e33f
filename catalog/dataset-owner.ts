import { type Kysely, sql } from 'kysely'
import type { IdentityTables } from '../identity/index.js'

/** Whom to ask about a dataset: its owning agency by name, and that agency's data stewards. */
export interface DatasetOwner {
  /** The agency's name; undefined when the agency is not on the roster. */
  agencyName: string | undefined
  /** The agency's active data stewards, by name. */
  stewards: { name: string; email: string }[]
}

/**
 * The owning agency's name and stewards, in one query: the agency row with its active stewards
 * aggregated beside it (none when the agency is not on the roster).
 */
export async function findDatasetOwner(
  db: Kysely<Pick<IdentityTables, 'agencies' | 'users'>>,
  agency: string,
): Promise<DatasetOwner> {
  const row = await db
    .selectFrom('agencies as a')
    .leftJoin('users as u', (j) =>
      j
        .onRef('u.agency_code', '=', 'a.code')
        .on(sql<boolean>`'steward' = any(u.roles)`)
        .on('u.disabled_at', 'is', null),
    )
    .where('a.code', '=', agency)
    .groupBy('a.name')
    .select([
      'a.name',
      sql<{ name: string; email: string }[]>`coalesce(
        json_agg(json_build_object('name', u.display_name, 'email', u.email)
          order by u.display_name) filter (where u.id is not null),
        '[]'::json)`.as('stewards'),
    ])
    .executeTakeFirst()
  return { agencyName: row?.name, stewards: row?.stewards ?? [] }
}
