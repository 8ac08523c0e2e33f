/**
 * @module testing
 * The test harness, kept out of the product: test databases on PGlite and a throwaway
 * PostgreSQL, the whole platform over fixture data in one process (test runtime) or as server
 * processes (replicas), a real OpenID Connect provider, Chromium for the portal, free ports, and
 * the authorization expectations of every route. Tests and benchmarks use it; nothing in the
 * product may.
 */

// The composition, for tests that build the app with overrides or run the CLI.
export { appDepsOf, createApp, runCli } from '../server/index.js'
export {
  AUTHORIZATION_MATRIX,
  CALLERS,
  type CallerName,
  HIDDEN_DATASET,
  MATRIX_REQUESTS,
} from './authorization-matrix.js'
export {
  axeViolations,
  browserTestsRun,
  launchChromium,
  runInWorkbench,
  screenshot,
  watchProblems,
} from './browser.js'
export { freePort } from './free-port.js'
export { API_AUDIENCE, IDP_CLIENT, startIdentityProvider } from './identity-provider.js'
export {
  createTestPostgresDatabase,
  openTestDatabase,
  TEST_BACKENDS,
  type TestBackend,
  type TestDatabase,
  type TestPostgresDatabase,
} from './test-database.js'
export {
  type Answer,
  type TestApp,
  type TestPlatform,
  type UserHeaders,
  useTestPlatform,
} from './test-platform.js'
export { call, type Replica, startReplica, stopReplica } from './test-replica.js'
export { createTestApp, openTestRuntime, signInAs, type TestRuntime } from './test-runtime.js'
export { startThrowawayPostgres, type ThrowawayPostgres } from './throwaway-postgres.js'
