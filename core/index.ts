/**
 * @module core
 * The kernel every other module stands on: validated configuration, the metadata database and its
 * migration runner, the DuckDB engine, errors, logging, the process registry, group commit,
 * coalesced runs and the shared rate limiter, the bound on a list's page, keyed pseudonyms, how long input may be and the one
 * rule for names people pick from a list. Imports nothing of ours.
 */

export type { AuditEvent, AuditRecorder } from './audit-event.js'
export { type CoalescedRun, coalesce } from './coalesced-run.js'
export { bytesOf, CONFIG_KEYS, type Config, loadConfig } from './config.js'
export { coreMigrations } from './core-migrations.js'
export type { CoreTables } from './core-tables.js'
export {
  databaseTarget,
  openDatabase,
} from './database.js'
export {
  databaseUnavailable,
  isDatabaseUnavailable,
} from './database-unavailable.js'
export {
  type DuckDBConnection,
  type DuckDBInstance,
  openDuckDb,
} from './duckdb.js'
export { quoteIdent, quoteLiteral, readRows, withConnection } from './duckdb-sql.js'
export {
  AppError,
  ConflictError,
  type ErrorBody,
  type ErrorCode,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  TooLargeError,
  UnavailableError,
} from './errors.js'
export { exclusively } from './exclusively.js'
export { sha256File } from './file-hash.js'
export { createGroupCommit, type GroupCommit, type Outcome } from './group-commit.js'
export { type ListPage, MAX_LISTED, pageBounds } from './list-page.js'
export { createLogger, type Logger } from './logger.js'
export {
  type MigrationSet,
  migrateToLatest,
} from './migrations.js'
export { type ProcessRegistry, registerProcess } from './process-registry.js'
export { createRateLimiter, type RateLimiter } from './rate-limiter.js'
