import { InvalidInputError } from '../core/index.js'
import type { AppAbility } from '../identity/index.js'
import { type DatasetDetail, isSlug, parseDatasetId } from './dataset.js'
import type { DatasetStore } from './dataset-store.js'
import { DatasetNotFoundError } from './errors.js'

/**
 * The dataset a path names by id (`d_…`) or slug, if the caller may discover it; one they may
 * not is reported as absent (404), never as forbidden.
 */
export async function findDiscoverableDataset(
  store: Pick<DatasetStore, 'findDataset'>,
  key: string,
  ability: AppAbility,
): Promise<DatasetDetail> {
  const dataset = await store.findDataset(parsedKey(key), ability)
  if (!dataset) throw new DatasetNotFoundError(key)
  return dataset
}

function parsedKey(value: string): string {
  if (value.startsWith('d_')) return parseDatasetId(value)
  if (!isSlug(value))
    throw new InvalidInputError(
      `'${value}' is neither a dataset id (d_ + 32 hex digits) nor a slug (lower-case words joined by '-')`,
    )
  return value
}
