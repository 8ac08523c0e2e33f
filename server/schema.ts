import { type AccessTables, accessMigrations } from '../access/index.js'
import { type AuditTables, auditMigrations } from '../audit/index.js'
import { type CatalogTables, catalogMigrations } from '../catalog/index.js'
import { type CoreTables, coreMigrations, type MigrationSet } from '../core/index.js'
import { type IdentityTables, identityMigrations } from '../identity/index.js'
import { type KpiTables, kpiMigrations } from '../kpi/index.js'
import { type LineageTables, lineageMigrations } from '../lineage/index.js'
import { type NotificationTables, notificationsMigrations } from '../notifications/index.js'
import { type QueryServiceTables, queryServiceMigrations } from '../query-service/index.js'
import { type TrustedCentreTables, trustedCentreMigrations } from '../trusted-centre/index.js'

/** Every table of the metadata database, across modules. */
export type Tables = CoreTables &
  IdentityTables &
  AuditTables &
  LineageTables &
  CatalogTables &
  NotificationTables &
  AccessTables &
  TrustedCentreTables &
  QueryServiceTables &
  KpiTables

/** Every module's migrations; the runner orders them by their dated names. */
export const MIGRATIONS: readonly MigrationSet[] = [
  coreMigrations,
  identityMigrations,
  auditMigrations,
  lineageMigrations,
  catalogMigrations,
  notificationsMigrations,
  accessMigrations,
  trustedCentreMigrations,
  queryServiceMigrations,
  kpiMigrations,
]
