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
    .selectFrom('dataset_columns as c')
    .leftJoin('column_glossary as cg', (j) =>
      j.onRef('cg.dataset_id', '=', 'c.dataset_id').onRef('cg.column_name', '=', 'c.name'),
    )
    .leftJoin('glossary_terms as g', 'g.id', 'cg.term_id')
    .select(['c.name', 'c.description', 'g.term'])
    .where('c.dataset_id', '=', datasetId)
    .orderBy('c.position')
    .execute()
  const text = columns
    .map((c) => `${c.name} ${c.name.replaceAll('_', ' ')} ${c.description} ${c.term ?? ''}`)
    .join(' ')
  await db.updateTable('datasets').set({ columns_text: text }).where('id', '=', datasetId).execute()
}
