import { type EntityId, entityKey, type Sees } from './entity-id.js'

/**
 * What lineage knows of the jobs writing a dataset: whether any reported column lineage for it,
 * and the datasets they read with the columns each one's schema lists.
 */
export interface DatasetWriters {
  dataset: EntityId
  /** Whether any job reported column lineage (a `columnLineage` facet) for the dataset. */
  hasColumnLineage: boolean
  /** What the jobs writing it read; `fields` null where the input's schema is not stated. */
  inputs: readonly { dataset: EntityId; job: EntityId; fields: readonly string[] | null }[]
}

/** A column taken to pass unchanged from a column of the same name in what its job reads. */
export interface AssumedEdge {
  dataset: EntityId
  field: string
  input: EntityId
  inputField: string
  transformations: unknown[]
  assumed: true
}

/** How an assumed hop is described, in OpenLineage's transformation shape. */
const assumedIdentity = (job: EntityId) => ({
  type: 'DIRECT',
  subtype: 'IDENTITY',
  description: `Assumed: ${job.name} reports no column lineage, and reads a column of the same name`,
})

/**
 * The hops a column walk may bridge where a job reported no column lineage at all for the
 * dataset it writes (an ingest copying a delivery, many producers that only report datasets):
 * the column passes through from an input whose schema lists the same name, or, when the job
 * reads one dataset whose schema is not stated, from that dataset's column of the same name.
 * A dataset with any column lineage reported is never bridged: its jobs said what they do.
 */
export function bridgeColumns(
  columns: readonly { dataset: EntityId; field: string }[],
  writers: readonly DatasetWriters[],
  sees: Sees,
): AssumedEdge[] {
  const byDataset = new Map(writers.map((w) => [entityKey(w.dataset), w]))
  const edges: AssumedEdge[] = []
  for (const column of columns) {
    const written = byDataset.get(entityKey(column.dataset))
    if (!written || written.hasColumnLineage) continue
    const inputs = written.inputs.filter(
      (i) => entityKey(i.dataset) !== entityKey(column.dataset) && sees(i.dataset),
    )
    const named = inputs.filter((i) => i.fields?.includes(column.field))
    const only = new Set(inputs.map((i) => entityKey(i.dataset))).size === 1 ? inputs[0] : undefined
    const sources = named.length > 0 ? named : only && only.fields === null ? [only] : []
    const seen = new Set<string>()
    for (const source of sources) {
      if (seen.has(entityKey(source.dataset))) continue
      seen.add(entityKey(source.dataset))
      edges.push({
        dataset: column.dataset,
        field: column.field,
        input: source.dataset,
        inputField: column.field,
        transformations: [assumedIdentity(source.job)],
        assumed: true,
      })
    }
  }
  return edges
}
