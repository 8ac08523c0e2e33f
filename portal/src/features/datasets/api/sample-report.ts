import type { PersonalDataKind } from '../../../components/ui/personal-data-badge.js'
import type { DatasetDetail } from './use-datasets.js'

// The shape of disclosure/sample-report.ts, restated: the portal may see only `server`'s types, and
// the dataset JSON carries a sample's details untyped.
/** What a published sample says of itself: how each column was treated, and what k, l it reached. */
export interface SampleReport {
  method: string
  k: number
  kReached: number
  l: number
  /** Null when no sensitive column stays shown. */
  lReached: number | null
  drawnRows: number
  rows: number
  suppressedRows: number
  maxSuppressedRows: number
  /** 0 (nothing lost) to 1 (all lost). */
  informationLoss: number
  /** Levels the steward asked to keep, by hierarchy: `{ geography: 'planning area' }`. */
  keep: Record<string, string>
  keptAsAsked: boolean
  lattice: { nodes: number; evaluated: number }
  hierarchies: { name: string; columns: string[]; level: string; levels: string[] }[]
  columns: SampleColumnReport[]
}

export type Treatment = 'masked' | 'quasi-identifier' | 'sensitive' | 'measure' | 'kept'

export interface SampleColumnReport {
  name: string
  declared: PersonalDataKind
  treatment: Treatment
  /** The level a generalised column is shown at ('as published' if not coarsened). */
  shownAs?: string
  reasons: string[]
  suggestion?: { kind: PersonalDataKind; reasons: string[] }
}

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
