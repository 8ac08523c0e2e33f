import type { ColumnProfile, ProfileDisclosure, VersionProfile } from './column-profiles.js'
import type { DatasetDetail } from './dataset.js'

const RELABELLED = 'withheld: its personal-data label changed since this version was profiled'
const OLDER =
  "withheld: only the current version's values are shown, so versions cannot be compared to single out a person"
const NO_SAMPLE =
  'withheld: this version of a dataset about people has no sample to set the level its values may be shown at, so only rows, missing and distinct values are counted'

/**
 * A version's stored profiles as they may be served now, against the dataset as it is now:
 * values (range, top values, histogram) are withheld from a column whose personal-data label
 * changed since profiling, and, in a dataset about people, from every column of a version
 * other than the current one (two versions' bars differing by one would show one person) or
 * of a version with no sample.
 */
export function servedProfile(profile: VersionProfile, dataset: DatasetDetail): VersionProfile {
  const labels = new Map(dataset.columns.map((c) => [c.name, c.personalData]))
  const personal = dataset.columns.some((c) => c.personalData !== 'none')
  const current = dataset.currentVersion?.version === profile.version
  const sampled =
    dataset.versions.find((v) => v.version === profile.version)?.sample?.status === 'published'
  const withheld = (column: ColumnProfile): [ProfileDisclosure, string] | undefined => {
    // A column the catalogue no longer lists counts as a quasi-identifier, as profiling does.
    if ((labels.get(column.name) ?? 'quasi-identifier') !== column.personalData)
      return ['label-changed', RELABELLED]
    if (personal && !current) return ['older-version', OLDER]
    if (personal && !sampled) return ['no-sample', NO_SAMPLE]
    return undefined
  }
  return {
    ...profile,
    columns: profile.columns.map((column) => {
      const reason = hasValues(column) ? withheld(column) : undefined
      if (!reason) return column
      const [disclosure, rule] = reason
      return { ...column, disclosure, level: null, rules: [rule], ...NO_VALUES }
    }),
  }
}

const NO_VALUES = { min: null, max: null, topValues: [], rareRows: 0, histogram: null }

const hasValues = (c: ColumnProfile) =>
  c.min !== null ||
  c.max !== null ||
  c.topValues.length > 0 ||
  c.rareRows > 0 ||
  c.histogram !== null
