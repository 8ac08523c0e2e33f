/**
 * @module kpi
 * The 15 Digital Government Blueprint KPIs. Their definitions and targets are here; computing
 * them from the catalogue and Trusted Centre datasets is the KPI dashboard issue's work.
 */

export {
  KPI_DEFINITIONS,
  type KpiCategory,
  type KpiDefinition,
  type KpiTarget,
} from './kpi-definition.js'
