import { type DuckDBConnection, quoteIdent } from '../core/index.js'
import { pseudonymSql } from '../keys/index.js'
import {
  assessColumn,
  type ColumnAssessment,
  type ColumnFacts,
  type ColumnStats,
  type PersonalKind,
  type StewardDecision,
} from './assess-columns.js'
import { columnShape } from './column-stats.js'
import { encodeTable } from './encode-table.js'
import {
  type CategoryGroups,
  HIDDEN,
  type Hierarchy,
  hierarchiesFor,
  isNumeric,
} from './hierarchy.js'
import { searchLattice } from './lattice-search.js'
import { SAMPLE_METHOD, type SampleReport } from './sample-report.js'

/** A column as the catalogue holds it now, with what stewards said of it. */
export interface SampleColumn {
  name: string
  type: string
  personalData: PersonalKind
  glossary?: readonly string[]
  decision?: StewardDecision
}

export interface SamplePlanOptions {
  columns: readonly SampleColumn[]
  /** Stats of each column over the whole version. */
  stats: ReadonlyMap<string, ColumnStats>
  k: number
  l: number
  /** Share of drawn rows that may be suppressed. */
  maxSuppressedShare: number
  groups?: CategoryGroups
  /** Levels to keep where k allows, by hierarchy: { geography: 'planning area' }. */
  keep?: Readonly<Record<string, string>>
  /** The HMAC variables (bound on the connection) that mask identifiers. */
  maskKey: string
}

export type SamplePlan =
  | {
      status: 'ready'
      /** SELECT list writing the sample from the drawn table. */
      select: string[]
      /** Drawn rows (their `__row`) to leave out. */
      suppressed: number[]
      report: SampleReport
    }
  | { status: 'refused'; reason: string; assessments: ColumnAssessment[] }

/**
 * How to turn the rows drawn into `table` (with a `__row` number) into a sample: each column
 * assessed, the generalisable ones arranged in hierarchies, and the lattice searched for the
 * least loss at k and l.
 */
export async function planSample(
  conn: DuckDBConnection,
  table: string,
  options: SamplePlanOptions,
): Promise<SamplePlan> {
  const assessments = options.columns.map((c) => assessColumn(factsOf(c, options.stats), options.k))
  const treated = new Map(assessments.map((a) => [a.name, a.treatment]))
  const generalisable = options.columns.filter((c) => {
    const t = treated.get(c.name)
    return t === 'quasi-identifier' || t === 'sensitive'
  })
  const shaped = await Promise.all(
    generalisable.map(async (c) => ({
      name: c.name,
      type: c.type,
      ...(await columnShape(conn, table, c.name, isNumeric(c.type))),
    })),
  )
  const hierarchies = [
    ...hierarchiesFor(shaped, options.groups),
    ...(await sharedPseudonyms(conn, table, options.columns, treated, options.maskKey)),
  ]
  const sensitive = new Set(
    generalisable.filter((c) => treated.get(c.name) === 'sensitive').map((c) => c.name),
  )
  const keep = options.keep ?? {}
  const { rows, encoded } = await encodeTable(conn, table, hierarchies, { sensitive, keep })
  const maxSuppressed = Math.floor(rows * options.maxSuppressedShare)
  const found = searchLattice({
    rows,
    hierarchies: encoded,
    k: options.k,
    l: options.l,
    maxSuppressed,
  })
  if (!found)
    return {
      status: 'refused',
      reason: `No generalisation of ${generalisable.map((c) => c.name).join(', ')} gives every combination at least ${options.k} rows with at most ${maxSuppressed} of ${rows} rows suppressed`,
      assessments,
    }
  const levelOf = new Map<string, { hierarchy: Hierarchy; level: number }>()
  hierarchies.forEach((hierarchy, i) => {
    for (const column of hierarchy.columns)
      levelOf.set(column, { hierarchy, level: found.levels[i] ?? 0 })
  })
  const select = options.columns.map((c) => {
    const id = quoteIdent(c.name)
    const treatment = treated.get(c.name)
    const at = levelOf.get(c.name)
    if (treatment === 'masked' && !at)
      return `${pseudonymSql(options.maskKey, `${id}::VARCHAR`)} AS ${id}`
    if (!at) return id
    return `(${at.hierarchy.levels[at.level]?.values[c.name]})::VARCHAR AS ${id}`
  })
  const report: SampleReport = {
    method: SAMPLE_METHOD,
    k: options.k,
    kReached: Number.isFinite(found.k) ? found.k : 0,
    l: options.l,
    lReached: Number.isFinite(found.l) ? found.l : null,
    drawnRows: rows,
    rows: rows - found.suppressed.length,
    suppressedRows: found.suppressed.length,
    maxSuppressedRows: maxSuppressed,
    informationLoss: Number(found.loss.toFixed(4)),
    keep: { ...keep },
    keptAsAsked: found.keptAsAsked,
    lattice: { nodes: found.latticeSize, evaluated: found.evaluated },
    hierarchies: hierarchies.map((h, i) => ({
      name: h.name,
      columns: [...h.columns],
      level: h.levels[found.levels[i] ?? 0]?.name ?? '',
      levels: h.levels.map((l) => l.name),
    })),
    columns: assessments.map((a) => {
      const at = levelOf.get(a.name)
      return {
        name: a.name,
        declared: a.declared,
        treatment: a.treatment,
        ...(at ? { shownAs: at.hierarchy.levels[at.level]?.name ?? '' } : {}),
        reasons: a.reasons,
        ...(a.suggestion ? { suggestion: a.suggestion } : {}),
      }
    }),
  }
  return { status: 'ready', select, suppressed: found.suppressed, report }
}

/**
 * Masked columns whose values repeat among the rows drawn (a record shared by a household, say):
 * their equal pseudonyms group rows, so they join the k-check, shown masked or hidden.
 */
async function sharedPseudonyms(
  conn: DuckDBConnection,
  table: string,
  columns: readonly SampleColumn[],
  treated: ReadonlyMap<string, string>,
  maskKey: string,
): Promise<Hierarchy[]> {
  const masked = columns.filter((c) => treated.get(c.name) === 'masked')
  const found: Hierarchy[] = []
  for (const c of masked) {
    const id = quoteIdent(c.name)
    const reader = await conn.runAndReadAll(
      `SELECT count(DISTINCT ${id}) < count(${id}) FROM ${table}`,
    )
    if (reader.getRows()[0]?.[0] !== true) continue
    found.push({
      name: c.name,
      columns: [c.name],
      levels: [
        { name: 'masked', values: { [c.name]: pseudonymSql(maskKey, `${id}::VARCHAR`) } },
        { name: 'hidden', values: { [c.name]: `'${HIDDEN}'` } },
      ],
    })
  }
  return found
}

const factsOf = (c: SampleColumn, stats: ReadonlyMap<string, ColumnStats>): ColumnFacts => ({
  name: c.name,
  type: c.type,
  declared: c.personalData,
  ...(c.glossary ? { glossary: c.glossary } : {}),
  ...(c.decision ? { decision: c.decision } : {}),
  stats: stats.get(c.name) ?? { rows: 0, distinct: 0, rareRows: 0 },
})
