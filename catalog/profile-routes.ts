import { Hono } from 'hono'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import type { AppAbility, RouteEnv } from '../identity/index.js'
import { serve } from '../identity/index.js'
import { diffSchemas } from './column-profiles.js'
import { type DatasetDetail, type DatasetId, isSlug, parseDatasetId } from './dataset.js'
import type { DatasetStore } from './dataset-store.js'
import { DatasetNotFoundError } from './errors.js'
import { getSchemaDiff, getVersionProfiles } from './profile-api.js'
import { toSchemaDiffJson, toVersionProfilesJson } from './profile-json.js'
import { servedProfile } from './profile-serving.js'
import type { ProfileStore } from './profile-store.js'

export interface ProfileRouteDeps {
  store: Pick<DatasetStore, 'findDataset'>
  profiles: ProfileStore
  /**
   * Profiles a version that has none yet (one published before profiles were made at
   * publication): versions are profiled lazily, on first read.
   */
  profileVersion: (datasetId: DatasetId, version: number) => Promise<void>
}

/** Column profiles and schema differences, for whoever may discover the dataset. */
export const profileRoutes = (deps: ProfileRouteDeps) => {
  const find = async (key: string, ability: AppAbility) => {
    const dataset = await deps.store.findDataset(parseDatasetKey(key), ability)
    // A dataset the caller may not discover is reported as absent, not as forbidden.
    if (!dataset) throw new DatasetNotFoundError(key)
    return dataset
  }
  const profiled = async (dataset: DatasetDetail, version: number) => {
    assertVersion(dataset, version)
    const stored = await deps.profiles.findProfiles(dataset.id, version)
    if (stored) return stored
    await deps.profileVersion(dataset.id, version)
    const made = await deps.profiles.findProfiles(dataset.id, version)
    if (!made) throw new Error(`Version ${version} of '${dataset.slug}' was not profiled`)
    return made
  }
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(getVersionProfiles, async (c) => {
        const { id, version } = c.req.valid('param')
        const dataset = await find(id, c.get('ability'))
        const profile = servedProfile(await profiled(dataset, version), dataset)
        return c.json({ ok: true as const, data: toVersionProfilesJson(profile) }, 200)
      }),
    )
    .route(
      '/',
      serve(getSchemaDiff, async (c) => {
        const dataset = await find(c.req.valid('param').id, c.get('ability'))
        const { from, to } = c.req.valid('query')
        // Each version's labels are kept with its profile: both are profiled first.
        for (const version of [from, to]) await profiled(dataset, version)
        const [before, after] = await Promise.all([
          deps.profiles.versionColumns(dataset.id, from),
          deps.profiles.versionColumns(dataset.id, to),
        ])
        if (!before || !after)
          throw new NotFoundError(`No version ${from} or ${to} of '${dataset.slug}'`)
        return c.json(
          { ok: true as const, data: toSchemaDiffJson(diffSchemas(before, after)) },
          200,
        )
      }),
    )
}

function assertVersion(dataset: DatasetDetail, version: number) {
  if (dataset.versions.some((v) => v.version === version)) return
  const versions = dataset.versions.map((v) => v.version).sort((a, b) => a - b)
  throw new NotFoundError(
    versions.length === 0
      ? `'${dataset.title}' has no published version yet`
      : `'${dataset.title}' has no version ${version}: its versions are ${versions.join(', ')}`,
  )
}

function parseDatasetKey(value: string): string {
  if (value.startsWith('d_')) return parseDatasetId(value)
  if (!isSlug(value))
    throw new InvalidInputError(
      `'${value}' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')`,
    )
  return value
}
