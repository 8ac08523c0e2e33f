import type { CatalogTables } from '../catalog/index.js'
import { catalogMigrations } from '../catalog/index.js'
import { type CoreTables, coreMigrations, type MigrationSet } from '../core/index.js'
import { type KpiTables, kpiMigrations } from '../kpi/index.js'
import { type LineageTables, lineageMigrations } from '../lineage/index.js'
import { type QueryServiceTables, queryServiceMigrations } from '../query-service/index.js'
import type { TrustedCentreTables } from '../trusted-centre/index.js'
import { trustedCentreMigrations } from '../trusted-centre/index.js'

/** Every table of the metadata database, across modules. */
export type Tables = CoreTables &
  LineageTables &
  CatalogTables &
  TrustedCentreTables &
  QueryServiceTables &
  KpiTables

/** Every module's migrations; the runner orders them by their dated names. */
export const MIGRATIONS: readonly MigrationSet[] = [
  coreMigrations,
  lineageMigrations,
  catalogMigrations,
  trustedCentreMigrations,
  queryServiceMigrations,
  kpiMigrations,
]
