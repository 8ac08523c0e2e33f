import { type DuckDBConnection, quoteIdent, readRows } from '../core/index.js'
import type { PersonalKind } from './assess-columns.js'
import { columnShape } from './column-stats.js'
import { type CategoryGroups, HIDDEN, hierarchiesFor, isNumeric } from './hierarchy.js'
import { type HistogramBin, histogramOf, isDateType, MAX_LEVEL_BARS } from './profile-histogram.js'
import { complementRare, suppressLevels } from './profile-suppression.js'
import type { SampleReport } from './sample-report.js'

export type { HistogramBin } from './profile-histogram.js'

/** What a column profile may show of its values, and why. */
export type ProfileDisclosure =
  /** Values shown as published, each carried by at least k rows. */
  | 'as-published'
  /** Values shown at the level the version's sample used. */
  | 'sample-level'
  /** Only nulls and distinct counts: a direct identifier. */
  | 'direct-identifier'
  /** Only nulls and distinct counts: the sample hides it at its level. */
  | 'hidden-in-sample'
  /** Only nulls and distinct counts: a dataset about people whose version has no sample. */
  | 'no-sample'

/** One column's statistics over a whole version, as disclosure rules let them out. */
export interface ColumnProfile {
  name: string
  type: string
  personalData: PersonalKind
  rows: number
  nulls: number
  distinct: number
  disclosure: ProfileDisclosure
  /** The sample's level the values are shown at, when not as published. */
  level: string | null
  /** The rules applied, in words a reader of the dataset page understands. */
  rules: string[]
  min: string | null
  max: string | null
  /** The most frequent values (at most five), each carried by at least k rows. */
  topValues: { value: string; rows: number }[]
  /** Rows whose value fewer than k rows carry: counted, never shown. */
  rareRows: number
  /** Numeric and date columns; null when there is none to show. */
  histogram: HistogramBin[] | null
}

export interface ProfileOptions {
  columns: readonly { name: string; type: string; personalData: PersonalKind }[]
  k: number
  /** The report of the version's published sample; undefined when none was published. */
  sample: SampleReport | undefined
  /** The pipeline's categorical groups, for columns the sample showed as groups. */
  groups?: CategoryGroups
}

const TOP_VALUES = 5

/**
 * Profiles every column of `source` (a DuckDB table expression over one version) under the
 * sample's rules: no value fewer than k rows carry, direct identifiers without values,
 * quasi-identifiers at the level the version's sample showed them, histogram bars under k
 * withheld. One scan for counts, then one grouped query per column that shows values.
 */
export async function profileColumns(
  conn: DuckDBConnection,
  source: string,
  options: ProfileOptions,
): Promise<ColumnProfile[]> {
  const { columns, k } = options
  const counts = await readRows<Record<string, string | number>>(
    conn,
    `SELECT count(*) AS total, ${columns
      .map(
        (c, i) =>
          `count(${quoteIdent(c.name)}) AS n${i}, count(DISTINCT ${quoteIdent(c.name)}) AS d${i}`,
      )
      .join(', ')} FROM ${source}`,
  )
  const row = counts[0] ?? {}
  const total = Number(row.total ?? 0)
  const personal = columns.some((c) => c.personalData !== 'none')
  const profiles: ColumnProfile[] = []
  for (const [i, column] of columns.entries()) {
    const base = {
      name: column.name,
      type: column.type,
      personalData: column.personalData,
      rows: total,
      nulls: total - Number(row[`n${i}`] ?? 0),
      distinct: Number(row[`d${i}`] ?? 0),
    }
    const plan = await planColumn(conn, source, column, options)
    if (plan.expression === undefined) {
      profiles.push({ ...base, ...plan.shown, ...NO_VALUES })
      continue
    }
    const charted = isNumeric(column.type) || isDateType(column.type)
    const shown =
      plan.shown.disclosure === 'sample-level'
        ? await levelledValues(conn, source, column, plan.expression, { k, personal, charted })
        : {
            ...(await valuesOf(conn, source, column, plan.expression, { k, personal })),
            histogram: charted ? await histogramOf(conn, source, column, { k, personal }) : null,
          }
    const { histogram } = shown
    const rules = [
      ...plan.shown.rules,
      `values fewer than ${k} rows carry are not shown`,
      personal
        ? `smallest and largest: values at least ${k} rows carry`
        : 'smallest and largest as published',
      ...(shown.rareRows > 0 ? [rareRule(k)] : []),
      ...(histogram ? [barsRule(k, plan.shown.disclosure === 'sample-level')] : []),
    ]
    profiles.push({ ...base, ...plan.shown, ...shown, rules })
  }
  return profiles
}

const NO_VALUES = { min: null, max: null, topValues: [], rareRows: 0, histogram: null }

const rareRule = (k: number) =>
  `rows of values fewer than ${k} rows carry are counted together; when they are fewer than ${k}, the next smallest value is withheld and counted with them`

const barsRule = (k: number, levelled: boolean) =>
  `histogram bars of fewer than ${k} rows are withheld${levelled ? ' (together, unnamed)' : ''}, with the next smallest bars, so no withheld bar can be worked out from the others`

type Shown = Pick<ColumnProfile, 'disclosure' | 'level' | 'rules'>

/** What a column may show, and the SQL expression of its values (none: values withheld). */
async function planColumn(
  conn: DuckDBConnection,
  source: string,
  column: ProfileOptions['columns'][number],
  options: ProfileOptions,
): Promise<{ shown: Shown; expression?: string }> {
  const id = quoteIdent(column.name)
  const reported = options.sample?.columns.find((c) => c.name === column.name)
  if (column.personalData === 'direct-identifier' || reported?.treatment === 'masked')
    return {
      shown: {
        disclosure: 'direct-identifier',
        level: null,
        rules: ['withheld: direct identifier (only missing and distinct values are counted)'],
      },
    }
  if (!options.sample && options.columns.some((c) => c.personalData !== 'none'))
    return { shown: { disclosure: 'no-sample', level: null, rules: [NO_SAMPLE_RULE] } }
  const level = reported?.shownAs
  if (!level || level === 'as published')
    return {
      shown: { disclosure: 'as-published', level: null, rules: ['shown as published'] },
      expression: id,
    }
  const expression = await levelExpression(conn, source, column, level, options)
  if (expression === undefined || expression === quoteLiteralHidden)
    return {
      shown: {
        disclosure: 'hidden-in-sample',
        level,
        rules: [`withheld: the sample shows its data at ${level}, where this column is hidden`],
      },
    }
  return {
    shown: { disclosure: 'sample-level', level, rules: [`at the sample's level: ${level}`] },
    expression,
  }
}

const quoteLiteralHidden = `'${HIDDEN}'`

const NO_SAMPLE_RULE =
  'withheld: this version of a dataset about people has no sample to set the level its values may be shown at, so only rows, missing and distinct values are counted'

/**
 * The SQL of a column at a level of its hierarchy, rebuilt as the sample built it. A level no
 * longer found (numeric ranges drawn over other rows) is read from its name, or not at all.
 */
async function levelExpression(
  conn: DuckDBConnection,
  source: string,
  column: ProfileOptions['columns'][number],
  level: string,
  options: ProfileOptions,
): Promise<string | undefined> {
  const shape = await columnShape(conn, source, column.name, isNumeric(column.type))
  // Every column, so that geography is one ladder as in the sample; only this one needs a shape.
  const hierarchy = hierarchiesFor(
    options.columns.map((c) =>
      c.name === column.name
        ? { name: c.name, type: c.type, ...shape }
        : { name: c.name, type: c.type },
    ),
    options.groups,
  ).find((h) => h.columns.includes(column.name))
  const found = hierarchy?.levels.find((l) => l.name === level)?.values[column.name]
  if (found !== undefined) return found
  const width = /^ranges of ([0-9.e+-]+)$/.exec(level)?.[1]
  if (width === undefined || !(Number(width) > 0)) return undefined
  const id = quoteIdent(column.name)
  const from = `(floor(${id} / ${Number(width)}) * ${Number(width)})`
  return `${from}::VARCHAR || '–' || (${from} + ${Number(width)})::VARCHAR`
}

/** Top values, rare rows and the range of one column's values as published, under k. */
async function valuesOf(
  conn: DuckDBConnection,
  source: string,
  column: { name: string },
  expression: string,
  { k, personal }: { k: number; personal: boolean },
): Promise<Pick<ColumnProfile, 'min' | 'max' | 'topValues' | 'rareRows'>> {
  const id = quoteIdent(column.name)
  const frequent = personal ? `FILTER (WHERE n >= ${k})` : ''
  const [row] = await readRows<{
    rare: string
    lo: string | null
    hi: string | null
    top: string
    least: string | null
  }>(
    conn,
    `WITH g AS (
       SELECT (${expression})::VARCHAR AS value, count(*) AS n, min(${id}) AS ord
       FROM ${source} WHERE ${id} IS NOT NULL GROUP BY 1)
     SELECT coalesce(sum(n) FILTER (WHERE n < ${k}), 0) AS rare,
       arg_min(value, ord) ${frequent} AS lo, arg_max(value, ord) ${frequent} AS hi,
       to_json(list_slice(list({'value': value, 'rows': n} ORDER BY n DESC, value)
         FILTER (WHERE n >= ${k}), 1, ${TOP_VALUES}))::VARCHAR AS top,
       to_json(arg_min({'value': value, 'rows': n}, n) FILTER (WHERE n >= ${k}))::VARCHAR AS least
     FROM g`,
  )
  const top = parseCounted(row?.top) ?? []
  const least = parseCounted(row?.least ? `[${row.least}]` : undefined)?.[0]
  return {
    min: row?.lo ?? null,
    max: row?.hi ?? null,
    ...complementRare(Number(row?.rare ?? 0), top, least, k),
  }
}

function parseCounted(json: string | undefined): { value: string; rows: number }[] | undefined {
  const parsed = JSON.parse(json ?? 'null') as { value: string; rows: number | string }[] | null
  return parsed?.map((t) => ({ value: t.value, rows: Number(t.rows) }))
}

/** Top values, range and histogram of a column at its sample level: one query, one suppression. */
async function levelledValues(
  conn: DuckDBConnection,
  source: string,
  column: { name: string },
  expression: string,
  { k, personal, charted }: { k: number; personal: boolean; charted: boolean },
): Promise<Pick<ColumnProfile, 'min' | 'max' | 'topValues' | 'rareRows' | 'histogram'>> {
  const id = quoteIdent(column.name)
  const groups = await readRows<{ label: string; n: string }>(
    conn,
    `SELECT (${expression})::VARCHAR AS label, count(*) AS n, min(${id}) AS ord
     FROM ${source} WHERE ${id} IS NOT NULL GROUP BY 1 ORDER BY ord, label`,
  )
  return suppressLevels(
    groups.map((g) => ({ label: g.label, rows: Number(g.n) })),
    k,
    { personal, topValues: TOP_VALUES, histogram: charted, maxBars: MAX_LEVEL_BARS },
  )
}
