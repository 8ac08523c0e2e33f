import type { Kysely } from 'kysely'
import type { CatalogTables } from './catalog-tables.js'

/** A dataset's current published version as a file, for jobs that compute from it (KPIs). */
export interface CurrentVersionFile {
  datasetId: string
  slug: string
  title: string
  agency: string
  version: number
  /** Under the data directory. */
  path: string
  contentSha256: string
  /** The Trusted Centre run that published it. */
  runId: string | undefined
  publishedAt: Date
}

/** The current version of each named dataset that has one (others are left out). */
export async function currentVersionFiles(
  db: Kysely<CatalogTables>,
  slugs: readonly string[],
): Promise<CurrentVersionFile[]> {
  if (slugs.length === 0) return []
  const rows = await db
    .selectFrom('datasets as d')
    .innerJoin('dataset_versions as v', 'v.dataset_id', 'd.id')
    .select([
      'd.id',
      'd.slug',
      'd.title',
      'd.agency',
      'v.version',
      'v.path',
      'v.content_sha256',
      'v.run_id',
      'v.created_at',
    ])
    .where('d.slug', 'in', [...slugs])
    // The current version is the newest.
    .where((eb) =>
      eb(
        'v.version',
        '=',
        eb
          .selectFrom('dataset_versions as newest')
          .select((n) => n.fn.max('newest.version').as('version'))
          .whereRef('newest.dataset_id', '=', 'd.id'),
      ),
    )
    .orderBy('d.slug')
    .execute()
  return rows.map((r) => ({
    datasetId: r.id,
    slug: r.slug,
    title: r.title,
    agency: r.agency,
    version: Number(r.version),
    path: r.path,
    contentSha256: r.content_sha256,
    runId: r.run_id ?? undefined,
    publishedAt: r.created_at,
  }))
}
