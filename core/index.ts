/**
 * @module core
 * What every other module stands on: validated configuration, the metadata database and its
 * migration runner, the DuckDB engine, errors, logging, identity (agencies, users, sessions,
 * API tokens), the access rules, the hash-chained audit log, how long input may be and the one
 * rule for names people pick from a list, and Singapore reference data (identifiers, postal
 * sectors, planning areas, the working-day calendar). Imports nothing of ours.
 */

export {
  type Action,
  type AppAbility,
  asSubject,
  assertCan,
  DISCOVERABLE_SECURITY,
  defineAbilityFor,
  publicAbility,
  type Subjects,
  type SubjectType,
  systemAbility,
} from './ability.js'
export { accessibleWhere } from './ability-filter.js'
export {
  type ApiToken,
  type ApiTokenStore,
  createApiTokenStore,
  MAX_TOKEN_DAYS,
  TOKEN_SCOPES,
  type TokenScope,
} from './api-token-store.js'
export { type AuditAnchor, checkpointDirectory } from './audit-checkpoints.js'
export type { AuditBreak, AuditEntry, AuditEvent, AuditVerification } from './audit-entry.js'
export { type AuditLog, createAuditLog } from './audit-log.js'
export { canonicalJson } from './canonical-json.js'
export { bytesOf, CONFIG_KEYS, type Config, loadConfig } from './config.js'
export { coreMigrations } from './core-migrations.js'
export { csvField } from './csv-field.js'
export {
  type DatabaseTarget,
  databaseTarget,
  openDatabase,
  redactUrl,
} from './database.js'
export { canRewriteAudit, currentRole, grantApplicationRole } from './database-roles.js'
export {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailable,
  isDatabaseUnavailable,
} from './database-unavailable.js'
export {
  type DuckDBConnection,
  type DuckDBInstance,
  type DuckDbOptions,
  openDuckDb,
} from './duckdb.js'
export { quoteIdent, quoteLiteral, readRows, withConnection } from './duckdb-sql.js'
export {
  AppError,
  ConfigError,
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
export type { CoreTables } from './identity-tables.js'
export { MAX_ITEMS, MAX_LENGTH } from './input-limits.js'
export { createLogger, type Logger } from './logger.js'
export {
  collectMigrations,
  type Migration,
  MigrationFailedError,
  type MigrationSet,
  migrateToLatest,
} from './migrations.js'
export { MINISTRY_FAMILIES, ministryFamilyOf } from './ministry-families.js'
export { isValidUinfin, maskUinfin, type UinfinPrefix, uinfinCheckLetter } from './nric.js'
export {
  nameKey,
  normalizeName,
  type PickedNameOptions,
  pickedName,
  unseenCharacterIn,
} from './picked-name.js'
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
export { type ProcessRegistry, registerProcess } from './process-registry.js'
export {
  bindHmacKey,
  derivePseudonymKeys,
  grantPseudonymScope,
  hmacHex,
  hmacSql,
  keyFingerprint,
  type PseudonymKeys,
  type PseudonymScope,
  pseudonymOf,
  pseudonymSql,
  samplePseudonymScope,
} from './pseudonyms.js'
export { createRateLimiter, type RateDecision, type RateLimiter } from './rate-limiter.js'
export { parseSecretKey, SECRET_KEY_BYTES } from './secret-key.js'
export { hashSecret, newSecretToken, secretsEqual } from './secret-token.js'
export {
  type AuthFlow,
  createSessionStore,
  type NewSession,
  type Session,
  type SessionStore,
} from './session-store.js'
export { SSIC_SECTIONS, type SsicSection, ssicSectionOf } from './ssic.js'
export { isValidUen, UEN_ENTITY_TYPES, type UenKind, uenCheckLetter, uenKind } from './uen.js'
export {
  type Agency,
  isRole,
  parseUserId,
  ROLES,
  type Role,
  type User,
  type UserId,
} from './user.js'
export { createUserStore, type UserProfile, type UserStore } from './user-store.js'
export {
  createWorkingDayCalendar,
  type Day,
  type HolidayTable,
  PUBLIC_HOLIDAYS,
  singaporeDay,
  type WorkingDayCalendar,
} from './working-days.js'
