/**
 * @module kpi
 * The 15 Digital Government Blueprint KPIs: definitions and targets as data, their computation
 * (SQL over the Trusted Centre's catalogue datasets, and the platform's own access workflow and
 * catalogue for KPIs 12 to 14) with status and provenance, the KPI history dataset, and the
 * dashboard's API.
 */

export {
  createKpiEngine,
  KPI_FIRST_YEAR,
  type KpiComputation,
  type KpiEngine,
  type KpiEngineDeps,
  type KpiTrigger,
} from './compute-kpis.js'
export {
  KPI_DEFINITIONS,
  type KpiCategory,
  type KpiDefinition,
  type KpiTarget,
} from './kpi-definition.js'
export { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'
export { createKpiReads, type KpiReads, type StoredKpiValue } from './kpi-reads.js'
export { type KpiBreakdown, type KpiRow, periodLabel } from './kpi-row.js'
export { KPI_STATUSES, type KpiStatus, kpiStatus, STATUS_RULE } from './kpi-status.js'
export type { KpiInput, KpiTables } from './kpi-tables.js'
export { kpiMigrations } from './migrations.js'
export { endOfYear, yearOf } from './platform-kpis.js'
export { REGISTER_KPI_SQL } from './register-kpi-sql.js'
export { type KpiRouteDeps, kpiListQuery, kpiNumberParam, kpiRoutes } from './routes.js'
