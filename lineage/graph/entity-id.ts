/** A job or a dataset, as OpenLineage names it. */
export interface EntityId {
  namespace: string
  name: string
}

/** Whether the caller may see a dataset (the catalogue's read rules, applied by the server). */
export type DatasetVisibility = (dataset: EntityId) => boolean

/** One string per entity, to key maps and sets (namespaces and names may hold any character). */
export const entityKey = (e: EntityId) => JSON.stringify([e.namespace, e.name])

export const datasetNodeId = (e: EntityId) => `dataset:${e.namespace}:${e.name}`
export const jobNodeId = (e: EntityId) => `job:${e.namespace}:${e.name}`
export const fieldNodeId = (e: EntityId, field: string) =>
  `datasetField:${e.namespace}:${e.name}:${field}`
