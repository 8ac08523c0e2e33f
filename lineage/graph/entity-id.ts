/** A job or a dataset, as OpenLineage names it. */
export interface EntityId {
  namespace: string
  name: string
}

/** Whether the caller may see a dataset (the catalogue's read rules, applied by the server). */
export type Sees = (dataset: EntityId) => boolean

/**
 * What the caller may see of datasets, looked up a batch at a time (a walk's step, a search's
 * matches): only the datasets at hand are asked of the catalogue, never all of it. A dataset not
 * looked up yet is not seen, so a walk that forgot to look one up hides it rather than shows it.
 */
export interface DatasetVisibility {
  lookUp(datasets: readonly EntityId[]): Promise<void>
  sees: Sees
}

/** A visibility with nothing to look up: `sees` answers for every dataset at once. */
export const visibilityOf = (sees: Sees): DatasetVisibility => ({
  lookUp: async () => {},
  sees,
})

/** One string per entity, to key maps and sets (namespaces and names may hold any character). */
export const entityKey = (e: EntityId) => JSON.stringify([e.namespace, e.name])

export const datasetNodeId = (e: EntityId) => `dataset:${e.namespace}:${e.name}`
export const jobNodeId = (e: EntityId) => `job:${e.namespace}:${e.name}`
export const fieldNodeId = (e: EntityId, field: string) =>
  `datasetField:${e.namespace}:${e.name}:${field}`
