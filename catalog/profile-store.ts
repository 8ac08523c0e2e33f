import type { ColumnType, Kysely } from 'kysely'
import type { CatalogTables } from './catalog-tables.js'
import type { ColumnProfile, VersionColumns, VersionProfile } from './column-profiles.js'
import type { DatasetId, PersonalDataKind } from './dataset.js'

/** The profile table, apart from CatalogTables: only this store reads or writes it. */
type ProfileTables = {
  dataset_profiles: {
    dataset_id: string
    version: number
    k: number
    columns: ColumnType<ColumnProfile[], string, string>
    computed_at: ColumnType<Date, Date | undefined, Date>
  }
}

/** Column profiles of each version, and the per-version column lists the schema diff reads. */
export interface ProfileStore {
  /** Keeps a version's profiles; a version's first profiles stay. */
  recordProfiles(profile: Omit<VersionProfile, 'computedAt'>): Promise<void>
  findProfiles(datasetId: DatasetId, version: number): Promise<VersionProfile | undefined>
  /** A version's columns (from its schema), labelled as its profile recorded them. */
  versionColumns(datasetId: DatasetId, version: number): Promise<VersionColumns | undefined>
}

export function createProfileStore(base: Kysely<CatalogTables>): ProfileStore {
  const db = base.withTables<ProfileTables>()
  return {
    async recordProfiles(profile) {
      await db
        .insertInto('dataset_profiles')
        .values({
          dataset_id: profile.datasetId,
          version: profile.version,
          k: profile.k,
          columns: JSON.stringify(profile.columns),
        })
        .onConflict((oc) => oc.columns(['dataset_id', 'version']).doNothing())
        .execute()
    },

    async findProfiles(datasetId, version) {
      const row = await db
        .selectFrom('dataset_profiles')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .where('version', '=', version)
        .executeTakeFirst()
      if (!row) return undefined
      return {
        datasetId: row.dataset_id,
        version: row.version,
        k: row.k,
        columns: row.columns,
        computedAt: new Date(row.computed_at),
      }
    },

    async versionColumns(datasetId, version) {
      const row = await db
        .selectFrom('dataset_versions as v')
        .leftJoin('dataset_profiles as p', (j) =>
          j.onRef('p.dataset_id', '=', 'v.dataset_id').onRef('p.version', '=', 'v.version'),
        )
        .select(['v.version', 'v.schema', 'p.columns'])
        .where('v.dataset_id', '=', datasetId)
        .where('v.version', '=', version)
        .executeTakeFirst()
      if (!row) return undefined
      const labels = new Map<string, PersonalDataKind>(
        (row.columns ?? []).map((c) => [c.name, c.personalData]),
      )
      return {
        version: row.version,
        columns: row.schema.map((c) => ({
          name: c.name,
          type: c.type,
          personalData: labels.get(c.name) ?? null,
        })),
      }
    },
  }
}
