/**
 * @module reference
 * Singapore reference data as code and data: NRIC/FIN and UEN check letters, SSIC sections,
 * postal sectors, planning areas and regions, Ministry families, and the working-day calendar
 * with its public holidays.
 */

export { MINISTRY_FAMILIES, ministryFamilyOf } from './ministry-families.js'
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
export { SSIC_SECTIONS, type SsicSection, ssicSectionOf } from './ssic.js'
export { isValidUen, UEN_ENTITY_TYPES, type UenKind, uenCheckLetter, uenKind } from './uen.js'
export {
  createWorkingDayCalendar,
  type Day,
  type HolidayTable,
  PUBLIC_HOLIDAYS,
  singaporeDay,
  type WorkingDayCalendar,
} from './working-days.js'
