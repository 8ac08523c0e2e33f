import type { SampleColumnReport, SampleReport } from '../../../../../server/index.js'
import type { DatasetDetail } from './use-datasets.js'

export type { SampleColumnReport, SampleReport }

/** A version's sample as the dataset JSON gives it: published, refused, or none yet (null). */
export type VersionSample = DatasetDetail['versions'][number]['sample']

/** The report inside a published sample's details; undefined for samples made before reports. */
export function sampleReportOf(sample: VersionSample): SampleReport | undefined {
  if (sample?.status !== 'published') return undefined
  const report: unknown = (sample.details as Record<string, unknown>).report
  const looksLikeReport =
    typeof report === 'object' &&
    report !== null &&
    Array.isArray((report as Partial<SampleReport>).columns) &&
    typeof (report as Partial<SampleReport>).kReached === 'number'
  return looksLikeReport ? (report as SampleReport) : undefined
}
