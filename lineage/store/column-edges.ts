import { sql, type Transaction } from 'kysely'
import type { LineageDataset } from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import type { Step } from './packed-statements.js'
import { chunked } from './rounds.js'
import { entityKey } from './upsert-entities.js'

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

/**
 * The steps (see `runPacked`) by which each output's column lineage replaces what was known of
 * that dataset's columns: of many events' outputs (in event order), the last one with the facet
 * per dataset wins; one step deletes what they replace, the next (per thousand rows) inserts
 * theirs.
 */
export function columnLineageSteps(
  trx: Transaction<LineageTables>,
  datasets: readonly LineageDataset[],
): Step[] {
  const latest = new Map<string, { dataset: LineageDataset; facet: ColumnLineageFacet }>()
  for (const dataset of datasets) {
    const facet = dataset.facets?.columnLineage as ColumnLineageFacet | undefined
    if (facet?.fields) latest.set(entityKey(dataset), { dataset, facet })
  }
  const deletes = chunked([...latest.values()].map((l) => l.dataset)).map((replaced) => ({
    query: trx
      .deleteFrom('lineage_column_edges')
      .where(
        sql<boolean>`(namespace, name) in (${sql.join(replaced.map((d) => sql`(${d.namespace}, ${d.name})`))})`,
      ),
  }))
  const rows = [...latest.values()].flatMap(({ dataset, facet }) =>
    Object.entries(facet.fields ?? {}).flatMap(([field, lineage]) =>
      (lineage.inputFields ?? []).map((input) => ({
        namespace: dataset.namespace,
        name: dataset.name,
        field,
        input_namespace: input.namespace,
        input_name: input.name,
        input_field: input.field,
        transformations: JSON.stringify(input.transformations ?? []),
      })),
    ),
  )
  const inserts = chunked(rows).map((chunk) => ({
    query: trx
      .insertInto('lineage_column_edges')
      .values(chunk)
      .onConflict((oc) => oc.doNothing()),
  }))
  return [...deletes, ...inserts]
}
