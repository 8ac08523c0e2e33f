/**
 * @module query-service
 * Callers' SQL over what they are entitled to, safe by construction: each query runs in a worker
 * process (OS memory and file-size caps, killed at its deadline) over projection files that hold
 * only what the caller's grants and samples show, behind a scope-correct SQL gate, with time,
 * memory, row and byte limits, a fair pool, history and audit.
 */

export { copiesDirectory } from './answer-file.js'
export {
  EXTRACT_FORMATS,
  type ExtractFormat,
  QUERY_FORMATS,
  type QueryFormat,
} from './answer-formats.js'
export { type CallerView, viewsOf } from './caller-views.js'
export { CSV_CELLS_RULE, csvCell } from './csv-cells.js'
export { QueryCancelledError, QueryLimitError, QueryRefusedError } from './errors.js'
export type { Extract } from './extract.js'
export { type QueryServiceTables, queryServiceMigrations } from './migrations.js'
export { createPersonSlots, type PersonSlots } from './person-slots.js'
export type { HistoryEntry } from './query-history.js'
export type { QueryLimits } from './query-limits.js'
export { BusyError, createQueryPool, type PoolLimits, type QueryPool } from './query-pool.js'
export { createQueryService, type QueryAnswer, type QueryService } from './query-service.js'
export { extractQuery, extractRoutes, queryBody, queryRoutes } from './routes.js'
export { type ExtractTrace, type TraceMatch, traceExtract } from './trace-extract.js'
