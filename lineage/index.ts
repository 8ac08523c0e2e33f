/**
 * @module lineage
 * OpenLineage: the typed model of run, dataset and job events and the facets we use, a validator
 * against the official schemas, and the store that keeps events and the lineage graph derived
 * from them. The Trusted Centre emits START and COMPLETE/FAIL for every ingest and fusion run.
 * Other tools' events come over HTTP, each into a namespace registered to the sender's agency.
 */

export {
  createLineageEmitter,
  type LineageEmitter,
  type TransportStatus,
} from './emitter.js'
export type {
  LineageDataset,
  LineageEvent,
  RunEvent,
  RunEventType,
} from './events.js'
export { lineageFacets } from './facets.js'
export type { RunDelivery } from './graph/run-summary.js'
export { LINEAGE_API, LINEAGE_INGEST_LIMITS } from './lineage-api.js'
export { createLineageGraph, type LineageGraph } from './lineage-graph.js'
export { createLineageStore, type LineageStore } from './lineage-store.js'
export type { LineageTables } from './lineage-tables.js'
export { lineageMigrations } from './migrations.js'
export { canonicalNamespace } from './namespace-ownership.js'
export { createNamespaceStore, type NamespaceStore } from './namespace-store.js'
export { observeRun, type RunObserver } from './observe-run.js'
export { tableBacklog } from './outbox.js'
export { PORTAL_NAMESPACE } from './producer.js'
export { type LineageRouteDeps, lineageRoutes } from './routes.js'
export { type EmittedRunEvent, lineageRunId, runEvent } from './run-event.js'
export { columnLineageOfSql, type SqlColumnLineage } from './sql-column-lineage.js'
export { fileTransport, httpTransport, storeTransport } from './transports.js'
export { createEventValidator, type EventValidator } from './validate-event.js'
