/**
 * @module lineage
 * OpenLineage run events: their typed model and facets, and the store that keeps them. The
 * Trusted Centre emits START and COMPLETE/FAIL for every ingest and fusion run.
 */

export { createLineageStore, type LineageStore } from './lineage-store.js'
export type { LineageTables } from './lineage-tables.js'
export { lineageMigrations } from './migrations.js'
export {
  type BaseFacet,
  type LineageDataset,
  lineageFacets,
  lineageRunId,
  OPENLINEAGE_SCHEMA,
  PORTAL_NAMESPACE,
  PRODUCER,
  type RunEvent,
  runEvent,
} from './run-event.js'
