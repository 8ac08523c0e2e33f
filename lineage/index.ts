/**
 * @module lineage
 * OpenLineage: the typed model of run, dataset and job events and the facets we use, a validator
 * against the official schemas, and the store that keeps events and the lineage graph derived
 * from them. The Trusted Centre emits START and COMPLETE/FAIL for every ingest and fusion run.
 * Other tools' events come over HTTP, each into a namespace registered to the sender's agency.
 */

export {
  type BacklogBatch,
  type BacklogCounts,
  type LineageBacklog,
  memoryBacklog,
} from './backlog.js'
export {
  createLineageEmitter,
  type EmitterOptions,
  fileTransport,
  httpTransport,
  type LineageEmitter,
  type LineageTransport,
  storeTransport,
  type TransportStatus,
} from './emitter.js'
export {
  type BaseFacet,
  type DatasetEvent,
  type DatasetRef,
  type Facets,
  isDatasetEvent,
  isRunEvent,
  type JobEvent,
  type LineageDataset,
  type LineageEvent,
  OPENLINEAGE_SCHEMA,
  RUN_EVENT_TYPES,
  type RunEvent,
  type RunEventType,
} from './events.js'
export {
  type ColumnSource,
  type ColumnTransformation,
  FACET_SCHEMAS,
  lineageFacets,
} from './facets.js'
export {
  createLineageGraph,
  type DatasetVisibility,
  type GraphNode,
  type LineageGraph,
  type RunDelivery,
} from './lineage-graph.js'
export { createLineageStore, type LineageStore, type RecordOptions } from './lineage-store.js'
export type { LineageTables } from './lineage-tables.js'
export { lineageMigrations } from './migrations.js'
export {
  canonicalNamespace,
  isPlatformNamespace,
  type LineageNamespace,
  type NamespaceWrite,
  namespacesWritten,
} from './namespace-ownership.js'
export { type NamespaceRouteDeps, namespaceBody } from './namespace-routes.js'
export { createNamespaceStore, type NamespaceStore } from './namespace-store.js'
export { tableBacklog } from './outbox.js'
export { PORTAL_NAMESPACE, PRODUCER } from './producer.js'
export {
  columnLineageQuery,
  graphQuery,
  LINEAGE_INGEST_LIMITS,
  type LineageRouteDeps,
  lineageRoutes,
  lineageSearchQuery,
  runsQuery,
} from './routes.js'
export { type EmittedRunEvent, lineageRunId, runEvent } from './run-event.js'
export { columnLineageOfSql, type SqlColumnLineage, type SqlTable } from './sql-column-lineage.js'
export { createEventValidator, type EventCheck, type EventValidator } from './validate-event.js'
