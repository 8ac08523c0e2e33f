/**
 * @module core
 * What every other module stands on: validated configuration, the metadata database and its
 * migration runner, the DuckDB engine, errors, logging, and Singapore reference data
 * (identifiers, postal sectors, planning areas). Imports nothing of ours.
 */

export { CONFIG_KEYS, type Config, loadConfig } from './config.js'
export {
  type DatabaseTarget,
  databaseTarget,
  openDatabase,
  redactUrl,
} from './database.js'
export {
  type DuckDBConnection,
  type DuckDBInstance,
  type DuckDbOptions,
  openDuckDb,
} from './duckdb.js'
export {
  AppError,
  ConfigError,
  ConflictError,
  type ErrorBody,
  type ErrorCode,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnavailableError,
} from './errors.js'
export { createLogger, type Logger } from './logger.js'
export {
  collectMigrations,
  type Migration,
  MigrationFailedError,
  type MigrationSet,
  migrateToLatest,
} from './migrations.js'
export { isValidUinfin, maskUinfin, type UinfinPrefix, uinfinCheckLetter } from './nric.js'
export {
  findPlanningArea,
  isInsideSingapore,
  PLANNING_AREAS,
  type PlanningArea,
  REGIONS,
  type Region,
  type RegionCode,
  SINGAPORE_BBOX,
} from './planning-areas.js'
export { POSTAL_SECTORS, type PostalSector, postalSectorOf } from './postal-sectors.js'
