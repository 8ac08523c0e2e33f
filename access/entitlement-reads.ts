import type { ExpressionBuilder, Kysely, SqlBool } from 'kysely'
import { sql } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import { type AppAbility, accessibleWhere, type User } from '../identity/index.js'
import type { AccessTables } from './access-tables.js'

/** A version of a dataset as entitlements read it (timestamps arrive as JSON text). */
export interface VersionRead {
  version: number
  path: string
  created_at: Date | string
}

/** A column of a dataset, in its order. */
export interface ColumnRead {
  name: string
  type: string
  personal_data: string
}

/** What decides one person's entitlements, as one statement reads it. */
export interface EntitlementReads {
  /**
   * The datasets they may discover that have a version, each with its versions (newest first),
   * columns, and sample.
   */
  discoverable: {
    id: string
    slug: string
    title: string
    agency: string
    security_classification: string
    sensitivity: string
    versions: VersionRead[]
    columns: ColumnRead[]
    /** The published sample of the latest version, if there is one. */
    sample: { version: number; path: string | null } | null
  }[]
  /** Their grants in force, oldest first, each with its dataset's versions and columns. */
  grants: {
    id: string
    project: { name: string; partnerAgencies: string[] } | null
    columns: string[] | null
    row_filter: unknown[]
    in_clear: string[]
    scope: string
    granted_at: Date | string
    expires_at: Date | string
    dataset_id: string
    slug: string
    title: string
    agency: string
    versions: VersionRead[]
    columns_of_dataset: ColumnRead[]
  }[]
}

type Eb = ExpressionBuilder<AccessTables & { d: AccessTables['datasets'] }, 'd'>

// The lists are aggregated with their ORDER BY inside json_agg: a sorted subquery only usually
// hands an aggregate its rows in order; this always does.

/** A dataset's versions, newest first, for the row of `d`. */
const versionsOf = (eb: Eb) =>
  eb
    .selectFrom(
      eb
        .selectFrom('dataset_versions')
        .select(['version', 'path', 'created_at'])
        .whereRef('dataset_id', '=', 'd.id')
        .as('v'),
    )
    .select((v) =>
      sql<VersionRead[]>`coalesce(${v.fn.jsonAgg('v').orderBy('v.version', 'desc')}, '[]')`.as(
        'list',
      ),
    )

/** A dataset's columns in order, for the row of `d`. */
const columnsOf = (eb: Eb) =>
  eb
    .selectFrom(
      eb
        .selectFrom('dataset_columns')
        .select(['name', 'type', 'personal_data', 'position'])
        .whereRef('dataset_id', '=', 'd.id')
        .as('c'),
    )
    .select((c) =>
      sql<ColumnRead[]>`coalesce(${c.fn.jsonAgg('c').orderBy('c.position')}, '[]')`.as('list'),
    )

/**
 * Everything a person's entitlements are made from, read at the moment of asking in one statement
 * (one round trip and one plan rather than five, each dataset's versions and columns beside it):
 * the datasets their ability lets them discover and their grants neither revoked nor expired at
 * `now`. With `dataset` (an id or a slug), only what concerns that dataset is read.
 */
export async function readEntitlements(
  db: Kysely<AccessTables>,
  user: User,
  ability: AppAbility,
  now: Date,
  dataset?: string,
): Promise<EntitlementReads> {
  // Every dataset (`d`) read is the one asked for, by its id or slug, if one is.
  const ofDataset =
    dataset === undefined
      ? sql<SqlBool>`true`
      : sql<SqlBool>`(d.id = ${dataset} or d.slug = ${dataset})`
  const row = await db
    .selectNoFrom((eb) => [
      // In no particular order, as the datasets table gives them.
      jsonArrayFrom(
        eb
          .selectFrom('datasets as d')
          .select([
            'd.id',
            'd.slug',
            'd.title',
            'd.agency',
            'd.security_classification',
            'd.sensitivity',
          ])
          .where(
            accessibleWhere(ability, 'read', 'Dataset', {
              agency: 'd.agency',
              security: 'd.security_classification',
              sensitivity: 'd.sensitivity',
            }),
          )
          .where(ofDataset)
          // A catalogue entry with no version published here gives nothing to read: the list
          // grows with the data held, not with every entry the catalogue describes.
          .where((d) =>
            d.exists(
              d
                .selectFrom('dataset_versions as held')
                .select(sql`1`.as('one'))
                .whereRef('held.dataset_id', '=', 'd.id'),
            ),
          )
          .select((d) => [
            versionsOf(d).as('versions'),
            columnsOf(d).as('columns'),
            jsonObjectFrom(
              d
                .selectFrom('dataset_samples as s')
                .select(['s.version', 's.path'])
                .whereRef('s.dataset_id', '=', 'd.id')
                .where('s.status', '=', 'published')
                .where(
                  sql<SqlBool>`s.version = (select max(v.version) from dataset_versions v
                    where v.dataset_id = s.dataset_id)`,
                ),
            ).as('sample'),
          ]),
      ).as('discoverable'),
      eb
        .selectFrom(
          eb
            .selectFrom('grants as g')
            .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
            .innerJoin('access_requests as r', 'r.id', 'g.request_id')
            .select('r.project')
            .select([
              'g.id',
              'g.columns',
              'g.row_filter',
              'g.in_clear',
              'g.scope',
              'g.granted_at',
              'g.expires_at',
              'd.id as dataset_id',
              'd.slug',
              'd.title',
              'd.agency',
            ])
            .select((d) => [versionsOf(d).as('versions'), columnsOf(d).as('columns_of_dataset')])
            .where('g.grantee_id', '=', user.id)
            .where('g.revoked_at', 'is', null)
            .where('g.expires_at', '>', now)
            .where(ofDataset)
            .as('g'),
        )
        // Oldest first: a second grant of one dataset is always `…_2`, from one call to the next.
        .select((g) =>
          sql`coalesce(${g.fn.jsonAgg('g').orderBy('g.granted_at').orderBy('g.id')}, '[]')`.as(
            'list',
          ),
        )
        .as('grants'),
    ])
    .executeTakeFirstOrThrow()
  return row as unknown as EntitlementReads
}
