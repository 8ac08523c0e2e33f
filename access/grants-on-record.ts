import type { Kysely } from 'kysely'
import type { AccessTables } from './access-tables.js'

/** A grant as made, whatever became of it: enough to tell whether a file came from it. */
export interface GrantOnRecord {
  id: string
  dataset: { id: string; slug: string }
  grantee: { id: string; username: string; agency: string }
  /** The project its request named, as written. */
  project: string | undefined
  /** Undefined: every column. */
  columns: string[] | undefined
  /** Direct identifiers shown in clear (the others were masked). */
  inClear: string[]
  grantedAt: Date
  expiresAt: Date
  revokedAt: Date | undefined
}

/** A dataset's published files and which of its columns are direct identifiers. */
export interface DatasetOnRecord {
  id: string
  slug: string
  /** Every published version, under the data directory. */
  files: string[]
  directIdentifiers: string[]
}

/**
 * Every grant ever made (active, expired or revoked) and the datasets they were made on, for the
 * audit question "whose file is this?" (query-service's traceExtract).
 */
export async function grantsOnRecord(
  db: Kysely<AccessTables>,
): Promise<{ grants: GrantOnRecord[]; datasets: DatasetOnRecord[] }> {
  const [grants, versions, identifiers] = await Promise.all([
    db
      .selectFrom('grants as g')
      .innerJoin('datasets as d', 'd.id', 'g.dataset_id')
      .innerJoin('access_requests as r', 'r.id', 'g.request_id')
      .select([
        'g.id',
        'g.dataset_id',
        'd.slug',
        'g.grantee_id',
        'g.grantee',
        'g.grantee_agency',
        'r.project',
        'g.columns',
        'g.in_clear',
        'g.granted_at',
        'g.expires_at',
        'g.revoked_at',
      ])
      .orderBy('g.granted_at')
      .execute(),
    db
      .selectFrom('dataset_versions as v')
      .innerJoin('datasets as d', 'd.id', 'v.dataset_id')
      .select(['d.id', 'd.slug', 'v.path'])
      .orderBy('v.version')
      .execute(),
    db
      .selectFrom('dataset_columns')
      .select(['dataset_id', 'name'])
      .where('personal_data', '=', 'direct-identifier')
      .orderBy('position')
      .execute(),
  ])
  const datasets = new Map<string, DatasetOnRecord>()
  for (const v of versions) {
    const dataset = datasets.get(v.id) ?? {
      id: v.id,
      slug: v.slug,
      files: [],
      directIdentifiers: [],
    }
    dataset.files.push(v.path)
    datasets.set(v.id, dataset)
  }
  for (const c of identifiers) datasets.get(c.dataset_id)?.directIdentifiers.push(c.name)
  return {
    grants: grants.map((g) => ({
      id: g.id,
      dataset: { id: g.dataset_id, slug: g.slug },
      grantee: { id: g.grantee_id, username: g.grantee, agency: g.grantee_agency },
      project: g.project?.name,
      columns: g.columns ?? undefined,
      inClear: g.in_clear,
      grantedAt: g.granted_at,
      expiresAt: g.expires_at,
      revokedAt: g.revoked_at ?? undefined,
    })),
    datasets: [...datasets.values()],
  }
}
