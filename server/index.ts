/**
 * @module server
 * The composition root: opens the database and DuckDB, composes every module's routes into one
 * Hono app, serves the built portal, and runs the CLI (`npm start`, `npm run cli -- <command>`).
 */

// The shapes the portal reads from the API's JSON (type-only).
export type { SampleColumnReport, SampleReport } from '../disclosure/index.js'
export { type AppDeps, type AppType, createApp } from './app.js'
export { runCli } from './cli.js'
export { errorBody } from './error-response.js'
export { loadData } from './load-data.js'
export { API_MODULES, type OpenApiDocument, openApiDocument } from './openapi.js'
export { recoverInterrupted } from './recover-interrupted.js'
export {
  appDepsOf,
  openRuntime,
  outputRulesOf,
  poolLimitsOf,
  queryLimitsOf,
  type Runtime,
} from './runtime.js'
export { MIGRATIONS, type Tables } from './schema.js'
export { type RunningServer, serveApp } from './serve-app.js'
export { staticPortal } from './static-portal.js'
