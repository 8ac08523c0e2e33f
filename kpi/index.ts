/**
 * @module kpi
 * The 15 Digital Government Blueprint KPIs: definitions and targets as data, their computation
 * (SQL over the Trusted Centre's catalogue datasets, and the platform's own access workflow and
 * catalogue for KPIs 12 to 14) with status and provenance, the platform KPIs kept current with
 * the access workflow, the KPI history dataset, and the dashboard's API.
 */

export { KPI_API } from './kpi-api.js'
export type { KpiEngine } from './kpi-computation.js'
export {
  KPI_DEFINITIONS,
  type KpiDefinition,
} from './kpi-definition.js'
export { createKpiEngine } from './kpi-engine.js'
export { createKpiReads, type KpiReads } from './kpi-reads.js'
export type { KpiTables } from './kpi-tables.js'
export { kpiMigrations } from './migrations.js'
export { createPlatformKpiRefresh, type PlatformKpiRefresh } from './platform-kpi-refresh.js'
export { type KpiRouteDeps, kpiRoutes } from './routes.js'
