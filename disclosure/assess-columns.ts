import { isNumeric } from './hierarchy.js'

/** What a column holds about people, as stewards label it (the catalogue's kinds). */
export type PersonalKind = 'direct-identifier' | 'quasi-identifier' | 'sensitive' | 'none'

/** How a sample treats a column. */
export type Treatment =
  /** Replaced by a pseudonym that holds within the sample only. */
  | 'masked'
  /** In the k-check, generalised as needed. */
  | 'quasi-identifier'
  /** In the k-check, generalised as needed, and l-diverse within every class of the others. */
  | 'sensitive'
  /** A quantity the data is about: shown as published, outside the k-check. */
  | 'measure'
  /** Shown as published, outside the k-check: a steward said so, with a reason. */
  | 'kept'

/** A steward's word on a column's kind, overriding what the assessment found. */
export interface StewardDecision {
  kind: PersonalKind
  reason: string
}

/** What the data says of a column (over a whole version, not its sample). */
export interface ColumnStats {
  rows: number
  distinct: number
  /** Rows whose value fewer than k rows share. */
  rareRows: number
}

export interface ColumnFacts {
  name: string
  type: string
  declared: PersonalKind
  glossary?: readonly string[]
  decision?: StewardDecision
  stats: ColumnStats
}

export interface ColumnAssessment {
  name: string
  declared: PersonalKind
  treatment: Treatment
  /** Why it is treated so, in words a steward reads. */
  reasons: string[]
  /** A label the steward should consider, when the data says more than the label does. */
  suggestion?: { kind: PersonalKind; reasons: string[] }
}

/** Names that say a column places or describes a person (or a business's owner). */
const QUASI_NAMES: readonly [RegExp, string][] = [
  [
    /postal|address|street|planning_area|region|district|sector|geocode|(^|_)(block|blk|unit|lat|lon|latitude|longitude)(_|$)/,
    'a place',
  ],
  [/(^|_)(age|dob|birth|born)(_|$)/, 'an age or birth date'],
  [
    /(^|_)(sex|gender|race|ethnic|nationality|citizenship|religion|marital|residential)(_|$)/,
    'a demographic trait',
  ],
  [
    /occupation|employer|agency|ministry|school|institution|ssic|industry/,
    'where a person works or is served',
  ],
  [/(^|_)(year|date|day|month)|_on$|_at$/, 'a date'],
]
/** Names of numbers that are codes or times, not quantities. */
const NOT_A_MEASURE =
  /year|age|code|(^|_)id$|key|rating|score|grade|level|rank|class|type|status|flag|month|day/

/** Distinct values above which a number is a quantity rather than a category. */
const MEASURE_MIN_DISTINCT = 20
/** Share of distinct values at which a column names rows one by one. */
const NEAR_UNIQUE = 0.9

/**
 * How a sample treats each column, from its label, its name, type and glossary terms, what the
 * data holds, and the steward's decisions: the label is a floor, not the last word. A column the
 * data or its name shows to narrow down who a row is about is a quasi-identifier unless a steward
 * has said otherwise with a reason; a column almost every row has its own value of is masked.
 */
export function assessColumn(column: ColumnFacts, k: number): ColumnAssessment {
  const base = { name: column.name, declared: column.declared }
  if (column.declared === 'direct-identifier')
    return { ...base, treatment: 'masked', reasons: ['labelled a direct identifier'] }
  if (column.decision) return decided(column, column.decision)
  const { stats } = column
  const numeric = isNumeric(column.type)
  const named = QUASI_NAMES.find(([pattern]) => pattern.test(column.name))
  const measure =
    numeric &&
    column.declared === 'none' &&
    !named &&
    !NOT_A_MEASURE.test(column.name) &&
    stats.distinct > MEASURE_MIN_DISTINCT
  if (measure)
    return {
      ...base,
      treatment: 'measure',
      reasons: [`a quantity (${stats.distinct.toLocaleString('en-SG')} distinct numbers)`],
    }
  // A text that names rows one by one is hidden (the top of its hierarchy), not masked, so the
  // sample holds no column of unique values; dates and numbers are coarsened instead.
  const nearUnique =
    !numeric &&
    !/^(DATE|TIMESTAMP)/i.test(column.type) &&
    stats.rows >= 2 * k &&
    stats.distinct >= NEAR_UNIQUE * stats.rows
  if (nearUnique) {
    const why = `${stats.distinct.toLocaleString('en-SG')} distinct values in ${stats.rows.toLocaleString('en-SG')} rows: it names rows one by one`
    return {
      ...base,
      treatment: 'quasi-identifier',
      reasons: [why],
      suggestion: { kind: 'direct-identifier', reasons: [why] },
    }
  }
  if (column.declared === 'sensitive')
    return { ...base, treatment: 'sensitive', reasons: ['labelled sensitive'] }
  const risks = riskReasons(column, named?.[1], k)
  const suggestion =
    column.declared === 'none' && risks.length > 0
      ? { suggestion: { kind: 'quasi-identifier' as const, reasons: risks } }
      : {}
  return {
    ...base,
    treatment: 'quasi-identifier',
    reasons:
      column.declared === 'quasi-identifier'
        ? ['labelled a quasi-identifier', ...risks]
        : risks.length > 0
          ? risks
          : ['every column but measures is in the k-check'],
    ...suggestion,
  }
}

function decided(column: ColumnFacts, decision: StewardDecision): ColumnAssessment {
  const treatment: Treatment =
    decision.kind === 'direct-identifier'
      ? 'masked'
      : decision.kind === 'none'
        ? 'kept'
        : decision.kind
  return {
    name: column.name,
    declared: column.declared,
    treatment,
    reasons: [`a steward marked it ${decision.kind}: ${decision.reason}`],
  }
}

function riskReasons(column: ColumnFacts, named: string | undefined, k: number): string[] {
  const reasons: string[] = []
  if (named) reasons.push(`its name says it is ${named}`)
  const terms = (column.glossary ?? []).filter((t) =>
    QUASI_NAMES.some(([p]) => p.test(t.toLowerCase().replaceAll(' ', '_'))),
  )
  if (terms.length > 0) reasons.push(`its glossary terms (${terms.join(', ')}) describe people`)
  if (/^(DATE|TIMESTAMP)/i.test(column.type) && !named) reasons.push('it holds dates')
  if (column.stats.rareRows > 0)
    reasons.push(
      `${column.stats.rareRows.toLocaleString('en-SG')} rows have a value fewer than ${k} rows share`,
    )
  return reasons
}
