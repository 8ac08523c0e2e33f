import { InvalidInputError } from '../core/index.js'

/** A catalogue dataset's public id: `d_` and 32 hex digits, the data.gov.sg format. */
export type DatasetId = string & { readonly __brand: 'DatasetId' }

/** Makes a {@link DatasetId} from text, or refuses it with a message saying the expected shape. */
export function parseDatasetId(value: string): DatasetId {
  if (!/^d_[0-9a-f]{32}$/.test(value)) {
    throw new InvalidInputError(`Dataset id '${value}' must be 'd_' followed by 32 hex digits`)
  }
  return value as DatasetId
}

/** Ascending security classification (DOMAIN.md §4.1). */
export const SECURITY_CLASSIFICATIONS = [
  'official-open',
  'official-closed',
  'restricted',
  'confidential-cloud-eligible',
  'confidential',
  'secret',
] as const
export type SecurityClassification = (typeof SECURITY_CLASSIFICATIONS)[number]

/** Ascending sensitivity classification: harm to individuals or businesses. */
export const SENSITIVITIES = ['non-sensitive', 'sensitive-normal', 'sensitive-high'] as const
export type Sensitivity = (typeof SENSITIVITIES)[number]

/** What a column holds about people, which decides masking in samples and extracts. */
export const PERSONAL_DATA_KINDS = [
  'direct-identifier',
  'quasi-identifier',
  'sensitive',
  'none',
] as const
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number]

/** The two axes every dataset is classified on (DOMAIN.md §4.1). */
export interface Classification {
  security: SecurityClassification
  sensitivity: Sensitivity
}

/** A column of a dataset's current version, with its steward-written meaning. */
export interface DatasetColumn {
  name: string
  type: string
  description: string
  personalData: PersonalDataKind
  /** Why a steward labelled it so, when one did: samples then follow the label, not the data. */
  personalDataReason: string | undefined
  /** A core data field of government (e.g. NRIC, postal code), with the SSOT that is its authority. */
  isCoreField: boolean
  authoritySsot: string | undefined
}

/** One immutable published version of a dataset. */
/** One quality assertion's outcome on the run that produced a version. */
export interface QualityResult {
  name: string
  kind: string
  severity: 'blocking' | 'warning'
  passed: boolean
  /** What was measured: violating rows, a share, or an age in days. */
  observed: number
  expected: string
}

/** The quality record published with a version. */
export interface QualitySummary {
  checked: number
  passed: number
  blockingFailures: number
  warnings: number
  results: QualityResult[]
}

/** The de-identified sample of a version, or why there is none. */
export type VersionSample =
  | { status: 'published'; rowCount: number; k: number; details: Record<string, unknown> }
  | { status: 'refused'; k: number; reason: string }

export interface DatasetVersion {
  version: number
  rowCount: number
  byteSize: number
  contentSha256: string
  quality: QualitySummary | undefined
  sample: VersionSample | undefined
  createdAt: Date
}

/** A dataset its stewards marked deprecated: when, why, and which dataset to use instead. */
export interface Deprecation {
  at: Date
  reason: string
  /** null when none was named, or when the reader may not discover it. */
  successor: { id: DatasetId; slug: string; title: string } | null
}

/** A catalogue dataset with its columns and current version. */
export interface Dataset {
  id: DatasetId
  slug: string
  title: string
  description: string
  agency: string
  trustedCentre: string
  sourceSsots: string[]
  classification: Classification
  updateFrequency: string
  themes: string[]
  tags: string[]
  coverage: { start: string | undefined; end: string | undefined }
  licence: string
  contactEmail: string
  /**
   * Levels the steward asks samples to keep where k allows, by hierarchy ('geography' or a
   * column): { geography: 'planning area' }.
   */
  sampleKeep: Record<string, string>
  columns: DatasetColumn[]
  currentVersion: DatasetVersion | undefined
  /** Set while its stewards mark it deprecated; absent otherwise. */
  deprecation?: Deprecation
  createdAt: Date
  updatedAt: Date
}

/** A dataset page: the dataset, every version (newest first) and its columns' glossary terms. */
export interface DatasetDetail extends Dataset {
  versions: DatasetVersion[]
  glossary: Record<string, { term: string; definition: string }[]>
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** Whether text is a dataset slug: lower-case words joined by '-', at most 100 characters. */
export function isSlug(value: string): boolean {
  return SLUG.test(value) && value.length <= 100
}

/** "Restricted / Sensitive Normal", as agencies write the combined label. */
export function classificationLabel(classification: Classification): string {
  const words = (value: string) =>
    value
      .split('-')
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join(' ')
  const security = words(classification.security)
    .replace(/^Official (Open|Closed)$/, 'Official ($1)')
    .replace(/^Confidential Cloud Eligible$/, 'Confidential (Cloud-Eligible)')
  return `${security} / ${words(classification.sensitivity)}`
}

/**
 * Refuses classifications that cannot exist: personal or entity data that is Sensitive can
 * never be Official (Open) (DOMAIN.md §4.1).
 */
export function assertValidClassification(classification: Classification): void {
  if (
    classification.security === 'official-open' &&
    classification.sensitivity !== 'non-sensitive'
  ) {
    throw new InvalidInputError(
      `A ${classification.sensitivity} dataset cannot be official-open: raise its security classification`,
    )
  }
}
