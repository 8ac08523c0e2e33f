import { Hono } from 'hono'
import { type AppAbility, InvalidInputError } from '../core/index.js'
import {
  classificationLabel,
  type Dataset,
  type DatasetVersion,
  isSlug,
  parseDatasetId,
} from './dataset.js'
import type { DatasetStore } from './dataset-store.js'
import { DatasetNotFoundError } from './errors.js'

/** The catalogue's HTTP face, mounted by the server under `/api/datasets`. */
export const catalogRoutes = (store: DatasetStore) =>
  new Hono<{ Variables: { ability: AppAbility } }>()
    .get('/', async (c) => {
      const datasets = await store.listDatasets(c.get('ability'))
      return c.json({ ok: true as const, data: datasets.map(toDatasetJson) })
    })
    .get('/:id', async (c) => {
      const key = parseDatasetKey(c.req.param('id'))
      const dataset = await store.findDataset(key, c.get('ability'))
      // A dataset the caller may not discover is reported as absent, not as forbidden.
      if (!dataset) throw new DatasetNotFoundError(key)
      return c.json({
        ok: true as const,
        data: { ...toDatasetJson(dataset), versions: dataset.versions.map(toVersionJson) },
      })
    })

/** A dataset is addressed by its id (`d_…`) or its slug. */
function parseDatasetKey(value: string): string {
  if (value.startsWith('d_')) return parseDatasetId(value)
  if (!isSlug(value)) {
    throw new InvalidInputError(
      `'${value}' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')`,
    )
  }
  return value
}

function toDatasetJson(dataset: Dataset) {
  return {
    id: dataset.id,
    slug: dataset.slug,
    title: dataset.title,
    description: dataset.description,
    agency: dataset.agency,
    trustedCentre: dataset.trustedCentre,
    sourceSsots: dataset.sourceSsots,
    classification: {
      ...dataset.classification,
      label: classificationLabel(dataset.classification),
    },
    updateFrequency: dataset.updateFrequency,
    columns: dataset.columns,
    currentVersion: dataset.currentVersion ? toVersionJson(dataset.currentVersion) : null,
    createdAt: dataset.createdAt.toISOString(),
    updatedAt: dataset.updatedAt.toISOString(),
  }
}

function toVersionJson(version: DatasetVersion) {
  return {
    version: version.version,
    rowCount: version.rowCount,
    byteSize: version.byteSize,
    contentSha256: version.contentSha256,
    quality: version.quality ?? null,
    sample: version.sample ?? null,
    createdAt: version.createdAt.toISOString(),
  }
}
