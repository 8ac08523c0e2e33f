/**
 * @module disclosure
 * Statistical disclosure control: what may leave a Trusted Centre about people. Samples are
 * generalised to the least information loss that makes them k-anonymous and l-diverse, with
 * every column's risk assessed from the data; aggregate answers pass output checks.
 */

export {
  type ColumnProfile,
  type HistogramBin,
  type ProfileDisclosure,
  profileColumns,
} from './column-profile.js'
export { columnStats } from './column-stats.js'
export { certaintyPenalty } from './encode-table.js'
export { type CategoryGroups, HIDDEN } from './hierarchy.js'
export { planSample, type SampleColumn } from './plan-sample.js'
export {
  SAMPLE_PREVIEW_ROWS,
  type SamplePreview,
  samplePreviewPath,
  writeSamplePreview,
} from './sample-preview.js'
export { describeSample, type SampleColumnReport, type SampleReport } from './sample-report.js'
