import { quoteIdent, quoteLiteral } from '../core/index.js'

/**
 * One way to coarsen a group of columns that move together, finest level first: level 0 shows
 * the columns as published, the last hides them all. Columns derivable from one another (region
 * from planning area, sector from postal code) share a hierarchy, so that no level shows a
 * finer column beside a coarser one it would give away.
 */
export interface Hierarchy {
  /** What it generalises, as people read it: 'geography', 'age_band', 'diagnosed_on'. */
  name: string
  columns: readonly string[]
  levels: readonly HierarchyLevel[]
}

export interface HierarchyLevel {
  /** As people read it: 'planning area', '5-year bands', 'quarter', 'hidden'. */
  name: string
  /** Each column's value at this level: a SQL expression over the published columns. */
  values: Readonly<Record<string, string>>
}

/** The value of a column no level can show. */
export const HIDDEN = '*'
const hidden = quoteLiteral(HIDDEN)

/**
 * The geography ladder (DOMAIN.md §3): each level shows the columns at or above it and hides
 * the finer ones. A postal code at sector level keeps its sector digits.
 */
export const GEOGRAPHY_LEVELS = [
  { name: 'postal code', shows: ['postal_code'] },
  { name: 'postal sector', shows: ['postal_sector'] },
  { name: 'postal district', shows: ['postal_district'] },
  { name: 'planning area', shows: ['planning_area_code', 'planning_area_name'] },
  { name: 'region', shows: ['region_code', 'region_name'] },
] as const
const GEOGRAPHY_COLUMNS: readonly string[] = GEOGRAPHY_LEVELS.flatMap((l) => l.shows)

/** Coarser age bands, by where they are cut (the schema's own bands come first). */
export const WIDER_AGE_CUTS: readonly (readonly number[])[] = [[18, 35, 50, 65], [35, 65], [65]]

/** Categorical groups a pipeline declares, per column: group name → the values it holds. */
export type CategoryGroups = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>

/** What hierarchies need to know of a column. */
export interface HierarchyColumn {
  name: string
  /** DuckDB type name. */
  type: string
  /** Distinct values, for ladders that depend on them (age bands). */
  values?: readonly string[]
  /** Smallest and largest numeric value, for numeric ranges. */
  range?: { min: number; max: number }
}

/**
 * The hierarchies of a sample's generalisable columns: geography columns as one ladder, every
 * other column by its kind (age bands, ages, dates, years, declared groups, numeric ranges,
 * anything else shown or hidden).
 */
export function hierarchiesFor(
  columns: readonly HierarchyColumn[],
  groups: CategoryGroups = {},
): Hierarchy[] {
  const geography = columns.filter((c) => GEOGRAPHY_COLUMNS.includes(c.name))
  const others = columns.filter((c) => !GEOGRAPHY_COLUMNS.includes(c.name))
  return [
    ...(geography.length > 0 ? [geographyHierarchy(geography.map((c) => c.name))] : []),
    ...others.map((c) => columnHierarchy(c, groups[c.name])),
  ]
}

function geographyHierarchy(present: readonly string[]): Hierarchy {
  const levels: HierarchyLevel[] = []
  let previous = ''
  GEOGRAPHY_LEVELS.forEach((level, i) => {
    const coarser = GEOGRAPHY_LEVELS.slice(i)
    const shown = new Set(coarser.flatMap((l) => l.shows as readonly string[]))
    // Named after the finest level the dataset has a column of; nothing shown, no level.
    const finest = coarser.find((l) => l.shows.some((c) => present.includes(c)))
    if (!finest) return
    const values = Object.fromEntries(
      present.map((name) => {
        if (shown.has(name)) return [name, quoteIdent(name)]
        if (name === 'postal_code' && level.name === 'postal sector')
          return [name, `left(${quoteIdent(name)}, 2) || 'xxxx'`]
        return [name, hidden]
      }),
    )
    const signature = JSON.stringify(values)
    const name =
      level.name === 'postal sector' && present.includes('postal_code') ? level.name : finest.name
    if (signature !== previous) levels.push({ name, values })
    previous = signature
  })
  levels.push(hiddenLevel(present))
  return { name: 'geography', columns: present, levels }
}

function columnHierarchy(column: HierarchyColumn, groups?: CategoryGroups[string]): Hierarchy {
  const name = column.name
  const id = quoteIdent(name)
  const ladder = (steps: [string, string][]): Hierarchy => ({
    name,
    columns: [name],
    levels: [
      { name: 'as published', values: { [name]: id } },
      ...steps.map(([label, sql]) => ({ name: label, values: { [name]: sql } })),
      hiddenLevel([name]),
    ],
  })
  if (groups) return ladder([['groups', groupSql(id, groups)]])
  const type = column.type.toUpperCase()
  if (isAgeBands(column)) return ladder(ageBandSteps(id, column.values ?? []))
  if (/^(DATE|TIMESTAMP)/.test(type))
    return ladder([
      ['month', `strftime(${id}, '%Y-%m')`],
      ['quarter', `strftime(${id}, '%Y') || '-Q' || quarter(${id})`],
      ['year', `strftime(${id}, '%Y')`],
    ])
  if (isNumeric(type) && /(^|_)age$/.test(name))
    return ladder([
      [
        '5-year bands',
        bandSql(
          id,
          [...Array(20)].map((_, i) => (i + 1) * 5),
        ),
      ],
      ...WIDER_AGE_CUTS.map((cuts): [string, string] => [bandsName(cuts), bandSql(id, cuts)]),
    ])
  if (isNumeric(type) && /year/.test(name))
    return ladder([
      ['5-year periods', periodSql(id, 5)],
      ['decades', periodSql(id, 10)],
    ])
  if (isNumeric(type) && column.range) return ladder(rangeSteps(id, column.range))
  return ladder([])
}

const hiddenLevel = (columns: readonly string[]): HierarchyLevel => ({
  name: 'hidden',
  values: Object.fromEntries(columns.map((c) => [c, hidden])),
})

export const isNumeric = (type: string) =>
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i.test(
    type,
  )

const groupSql = (id: string, groups: Readonly<Record<string, readonly string[]>>) =>
  `CASE ${Object.entries(groups)
    .map(
      ([group, values]) =>
        `WHEN ${id}::VARCHAR IN (${values.map(quoteLiteral).join(', ')}) THEN ${quoteLiteral(group)}`,
    )
    .join(' ')} ELSE ${hidden} END`

/** Bands such as '0-17', '18-34' and '65+': their lower bounds. */
const AGE_BAND = /^(\d+)(?:-(\d+)|\+)$/
const isAgeBands = (column: HierarchyColumn) =>
  /age/.test(column.name) &&
  (column.values?.length ?? 0) > 1 &&
  (column.values ?? []).every((v) => AGE_BAND.test(v))

function ageBandSteps(id: string, bands: readonly string[]): [string, string][] {
  const lower = `CAST(regexp_extract(${id}, '^(\\d+)', 1) AS INTEGER)`
  return WIDER_AGE_CUTS.filter((cuts) => cuts.length < bands.length - 1).map((cuts) => [
    bandsName(cuts),
    bandSql(lower, cuts),
  ])
}

const bandLabel = (from: number, to: number | undefined) =>
  to === undefined ? `${from}+` : `${from}-${to - 1}`
const bandsName = (cuts: readonly number[]) =>
  `bands ${[...cuts.map((c, i) => bandLabel(i === 0 ? 0 : (cuts[i - 1] ?? 0), c)), `${cuts.at(-1)}+`].join(', ')}`

function bandSql(id: string, cuts: readonly number[]) {
  return `CASE ${cuts.map((cut, i) => `WHEN ${id} < ${cut} THEN ${quoteLiteral(bandLabel(i === 0 ? 0 : (cuts[i - 1] ?? 0), cut))}`).join(' ')} WHEN ${id} IS NULL THEN NULL ELSE ${quoteLiteral(`${cuts.at(-1)}+`)} END`
}

const periodSql = (id: string, width: number) =>
  `(${id} // ${width} * ${width})::VARCHAR || '-' || (${id} // ${width} * ${width} + ${width - 1})::VARCHAR`

/** Two ranges of round widths: about five of them, then about two. */
function rangeSteps(id: string, range: { min: number; max: number }): [string, string][] {
  const span = range.max - range.min
  if (!(span > 0)) return []
  return [5, 2].map((parts) => {
    const width = roundWidth(span / parts)
    return [
      `ranges of ${width}`,
      `(floor(${id} / ${width}) * ${width})::VARCHAR || '–' || (floor(${id} / ${width}) * ${width} + ${width})::VARCHAR`,
    ]
  })
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function roundWidth(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * power).find((w) => w >= raw) ?? 10 * power
}
