// Statistical disclosure control: what may leave a Trusted Centre about people. Samples are
// generalised to the least information loss that makes them k-anonymous and l-diverse, with
// every column's risk assessed from the data; aggregate answers pass output checks.
export {
  assessColumn,
  type ColumnAssessment,
  type PersonalKind,
  type StewardDecision,
  type Treatment,
} from './assess-columns.js'
export { columnStats } from './column-stats.js'
export { certaintyPenalty } from './encode-table.js'
export { type CategoryGroups, GEOGRAPHY_LEVELS, HIDDEN, hierarchiesFor } from './hierarchy.js'
export { searchLattice } from './lattice-search.js'
export { planSample, type SampleColumn, type SamplePlan } from './plan-sample.js'
export { describeSample, type SampleColumnReport, type SampleReport } from './sample-report.js'
