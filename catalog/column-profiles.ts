import type { PersonalDataKind } from './dataset.js'

/** What a column profile may show of a column's values, and why (see disclosure/). */
export type ProfileDisclosure =
  | 'as-published'
  | 'sample-level'
  | 'direct-identifier'
  | 'hidden-in-sample'
  | 'no-sample'
  /** Only counts: its personal-data label changed since the version was profiled. */
  | 'label-changed'
  /** Only counts: an older version of a dataset about people (versions are not compared). */
  | 'older-version'

/** One column of a version, profiled at publication under the sample's disclosure rules. */
export interface ColumnProfile {
  name: string
  type: string
  /** The column's personal-data label when the version was profiled. */
  personalData: PersonalDataKind
  rows: number
  nulls: number
  distinct: number
  disclosure: ProfileDisclosure
  level: string | null
  rules: string[]
  min: string | null
  max: string | null
  topValues: { value: string; rows: number }[]
  rareRows: number
  histogram: { label: string; rows: number | null }[] | null
}

/** A version's column profiles, as stored. */
export interface VersionProfile {
  datasetId: string
  version: number
  k: number
  columns: ColumnProfile[]
  computedAt: Date
}

/** A version's columns as the schema difference compares them. */
export interface VersionColumns {
  version: number
  columns: { name: string; type: string; personalData: PersonalDataKind | null }[]
}

/** What changed in a dataset's columns between two versions. */
export interface SchemaDiff {
  from: number
  to: number
  added: { name: string; type: string; personalData: PersonalDataKind | null }[]
  removed: { name: string; type: string; personalData: PersonalDataKind | null }[]
  typeChanged: { name: string; from: string; to: string }[]
  /** Only between versions both profiled: a version's labels are kept with its profile. */
  personalDataChanged: { name: string; from: PersonalDataKind; to: PersonalDataKind }[]
}

/** Columns added, removed, retyped and relabelled from one version to another, in `to`'s order. */
export function diffSchemas(from: VersionColumns, to: VersionColumns): SchemaDiff {
  const before = new Map(from.columns.map((c) => [c.name, c]))
  const after = new Map(to.columns.map((c) => [c.name, c]))
  const kept = to.columns.flatMap((c) => {
    const old = before.get(c.name)
    return old ? [{ old, now: c }] : []
  })
  return {
    from: from.version,
    to: to.version,
    added: to.columns.filter((c) => !before.has(c.name)),
    removed: from.columns.filter((c) => !after.has(c.name)),
    typeChanged: kept
      .filter(({ old, now }) => old.type !== now.type)
      .map(({ old, now }) => ({ name: now.name, from: old.type, to: now.type })),
    personalDataChanged: kept.flatMap(({ old, now }) =>
      old.personalData && now.personalData && old.personalData !== now.personalData
        ? [{ name: now.name, from: old.personalData, to: now.personalData }]
        : [],
    ),
  }
}
