import { sql } from 'kysely'
import type { LineageDataset } from '../events.js'
import type { Step } from './packed-statements.js'
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

const KEY = ['namespace', 'name', 'field', 'input_namespace', 'input_name', 'input_field'] as const

/**
 * The steps (see `runPacked`) by which each output's column lineage replaces what was known of
 * that dataset's columns: of many events' outputs (in event order), the last one with the facet
 * per dataset wins. Two steps of one statement, on rows apart: one deletes the edges of those
 * datasets that are no longer theirs, the other upserts theirs (a column's edge listed twice
 * counts once, the first). The rows travel as arrays, so the statement is one whatever the count.
 */
export function columnLineageSteps(datasets: readonly LineageDataset[]): {
  deletes: Step[]
  upserts: Step[]
} {
  const latest = new Map<string, { dataset: LineageDataset; facet: ColumnLineageFacet }>()
  for (const dataset of datasets) {
    const facet = dataset.facets?.columnLineage as ColumnLineageFacet | undefined
    if (facet?.fields) latest.set(entityKey(dataset), { dataset, facet })
  }
  if (latest.size === 0) return { deletes: [], upserts: [] }
  const rows = new Map<string, Record<(typeof KEY)[number] | 'transformations', string>>()
  for (const { dataset, facet } of latest.values())
    for (const [field, lineage] of Object.entries(facet.fields ?? {}))
      for (const input of lineage.inputFields ?? []) {
        const row = {
          namespace: dataset.namespace,
          name: dataset.name,
          field,
          input_namespace: input.namespace,
          input_name: input.name,
          input_field: input.field,
          transformations: JSON.stringify(input.transformations ?? []),
        }
        const key = KEY.map((column) => row[column]).join('\u0000')
        if (!rows.has(key)) rows.set(key, row)
      }
  const edges = [...rows.values()]
  const column = (name: (typeof KEY)[number] | 'transformations') => edges.map((row) => row[name])
  const keyColumns = sql.join(KEY.map((name) => sql`${column(name)}::text[]`))
  const replaced = [...latest.values()].map((l) => l.dataset)
  const deletes = sql`delete from lineage_column_edges e
    using unnest(${replaced.map((d) => d.namespace)}::text[], ${replaced.map((d) => d.name)}::text[])
      as replaced(namespace, name)
    where e.namespace = replaced.namespace and e.name = replaced.name
      and (${sql.raw(KEY.map((name) => `e.${name}`).join(', '))}) not in
        (select * from unnest(${keyColumns}))`
  const upserts = sql`insert into lineage_column_edges (${sql.raw([...KEY, 'transformations'].join(', '))})
    select * from unnest(${keyColumns}, ${column('transformations')}::jsonb[])
    on conflict (${sql.raw(KEY.join(', '))}) do update set transformations = excluded.transformations
      where lineage_column_edges.transformations <> excluded.transformations`
  return { deletes: [{ query: deletes }], upserts: [{ query: upserts }] }
}
