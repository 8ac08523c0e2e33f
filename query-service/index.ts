/**
 * @module query-service
 * Callers' SQL over what they are entitled to, safe by construction: each query runs in a worker
 * process (OS memory and file-size caps, killed at its deadline) over projection files that hold
 * only what the caller's grants and samples show, behind a scope-correct SQL gate, with time,
 * memory, row and byte limits, a fair pool, history and audit.
 */

export { copiesDirectory } from './answer-file.js'
export { csvCell } from './csv-cells.js'
export { type QueryServiceTables, queryServiceMigrations } from './migrations.js'
export { OPEN_DATA_API } from './open-data-api.js'
export { type OpenDataRouteDeps, openDataRoutes } from './open-data-routes.js'
export { createPersonSlots } from './person-slots.js'
export { createQueryPool } from './query-pool.js'
export { createQueryService, type QueryService } from './query-service.js'
export { EXTRACT_API, extractRoutes, QUERY_API, queryRoutes } from './routes.js'
export { SAMPLE_PREVIEW_API } from './sample-preview-api.js'
export { samplePreviewRoutes } from './sample-preview-routes.js'
export { SAVED_QUERIES_API } from './saved-queries-api.js'
export { savedQueryRoutes } from './saved-query-routes.js'
export { createSavedQueries, type SavedQueries } from './saved-query-service.js'
export { sqlParserOf } from './sql-parser.js'
export { type ExtractTrace, traceExtract } from './trace-extract.js'
