import { type Kysely, sql } from 'kysely'
import type { AccessTables } from './access-tables.js'

/**
 * One core data field a catalogue dataset declares, and since when it has been machine-readable
 * (first published in a version's typed schema) and transmittable by API (its dataset Official
 * (Open), so open to every officer through the query service, or first covered by a grant).
 */
export interface CoreFieldAvailability {
  dataset: string
  agency: string
  column: string
  authoritySsot: string | undefined
  /** When its dataset was registered in the catalogue. */
  declaredAt: Date
  /** Undefined: never published with this column. */
  publishedAt: Date | undefined
  /** Undefined: not transmittable yet. For Official (Open) data, its first publication. */
  transmittableAt: Date | undefined
}

/** Every core data field declared in the catalogue, with when it became available. */
export async function coreFieldAvailability(
  db: Kysely<AccessTables>,
): Promise<CoreFieldAvailability[]> {
  const rows = await db
    .selectFrom('dataset_columns as c')
    .innerJoin('datasets as d', 'd.id', 'c.dataset_id')
    .select((eb) => [
      'd.slug',
      'd.agency',
      'd.security_classification',
      'c.name',
      'c.authority_ssot',
      'd.created_at',
      eb
        .selectFrom('dataset_versions as v')
        .select((v) => v.fn.min('v.created_at').as('at'))
        .whereRef('v.dataset_id', '=', 'd.id')
        .where(sql<boolean>`v.schema @> jsonb_build_array(jsonb_build_object('name', c.name))`)
        .as('published_at'),
      eb
        .selectFrom('grants as g')
        .select((g) => g.fn.min('g.granted_at').as('at'))
        .whereRef('g.dataset_id', '=', 'd.id')
        .as('granted_at'),
    ])
    .where('c.is_core_field', '=', true)
    .orderBy('d.slug')
    .orderBy('c.position')
    .execute()
  return rows.map((r) => {
    const publishedAt = r.published_at ? new Date(r.published_at) : undefined
    const grantedAt = r.granted_at ? new Date(r.granted_at) : undefined
    const open = r.security_classification === 'official-open'
    const transmittable = open ? publishedAt : grantedAt
    return {
      dataset: r.slug,
      agency: r.agency,
      column: r.name,
      authoritySsot: r.authority_ssot ?? undefined,
      declaredAt: r.created_at,
      publishedAt,
      // Transmittable means both: served by the API and published machine-readable.
      transmittableAt:
        publishedAt && transmittable
          ? new Date(Math.max(publishedAt.getTime(), transmittable.getTime()))
          : undefined,
    }
  })
}
