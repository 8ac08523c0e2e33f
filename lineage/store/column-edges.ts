import type { Transaction } from 'kysely'
import type { LineageDataset } from '../events.js'
import type { LineageTables } from '../lineage-tables.js'

/** The `columnLineage` facet as we read it: per output column, the input columns it is made from. */
interface ColumnLineageFacet {
  fields?: Record<
    string,
    {
      inputFields?: {
        namespace: string
        name: string
        field: string
        transformations?: unknown[]
      }[]
    }
  >
}

/** An output's column lineage replaces what was known of that dataset's columns. */
export async function replaceColumnLineage(
  trx: Transaction<LineageTables>,
  dataset: LineageDataset,
) {
  const facet = dataset.facets?.columnLineage as ColumnLineageFacet | undefined
  if (!facet?.fields) return
  await trx
    .deleteFrom('lineage_column_edges')
    .where('namespace', '=', dataset.namespace)
    .where('name', '=', dataset.name)
    .execute()
  const rows = Object.entries(facet.fields).flatMap(([field, lineage]) =>
    (lineage.inputFields ?? []).map((input) => ({
      namespace: dataset.namespace,
      name: dataset.name,
      field,
      input_namespace: input.namespace,
      input_name: input.name,
      input_field: input.field,
      transformations: JSON.stringify(input.transformations ?? []),
    })),
  )
  if (rows.length > 0)
    await trx
      .insertInto('lineage_column_edges')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute()
}
