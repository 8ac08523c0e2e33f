/**
 * @module query-service
 * Sandboxed DuckDB queries over what each caller is entitled to: a DuckDB instance per query,
 * exposing only views (columns granted, direct identifiers masked, row filters applied) behind a
 * SQL gate, with time, memory and row limits, a bounded pool, history and audit.
 */

export { copiesDirectory } from './copy-file.js'
export { QueryCancelledError, QueryLimitError, QueryRefusedError } from './errors.js'
export { EXTRACT_FORMATS, type Extract, type ExtractFormat } from './extract.js'
export { type QueryServiceTables, queryServiceMigrations } from './migrations.js'
export { createPersonSlots, type PersonSlots } from './person-slots.js'
export { BusyError, createQueryPool, type PoolLimits, type QueryPool } from './query-pool.js'
export {
  createQueryService,
  type HistoryEntry,
  QUERY_FORMATS,
  type QueryAnswer,
  type QueryFormat,
  type QueryService,
} from './query-service.js'
export { extractQuery, extractRoutes, queryBody, queryRoutes } from './routes.js'
export { openSandbox, type SandboxLimits, type SandboxView, viewsOf } from './sandbox.js'
