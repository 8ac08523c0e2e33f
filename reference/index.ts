/**
 * @module reference
 * Singapore reference data as code and data: NRIC/FIN and UEN check letters, SSIC sections,
 * postal sectors, planning areas and regions, Ministry families, and the working-day calendar
 * with its public holidays.
 */

export { MINISTRY_FAMILIES, ministryFamilyOf } from './ministry-families.js'
export { isValidUinfin, type UinfinPrefix, uinfinCheckLetter } from './nric.js'
export {
  findPlanningArea,
  PLANNING_AREAS,
  type PlanningArea,
  REGIONS,
} from './planning-areas.js'
export { POSTAL_SECTORS, postalSectorOf } from './postal-sectors.js'
export { SSIC_SECTIONS } from './ssic.js'
export { UEN_ENTITY_TYPES, type UenKind, uenCheckLetter } from './uen.js'
export {
  createWorkingDayCalendar,
  type Day,
  singaporeDay,
  type WorkingDayCalendar,
} from './working-days.js'
