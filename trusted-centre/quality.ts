import type { QualityResult, QualitySummary } from '../catalog/index.js'
import { quoteIdent } from '../core/index.js'

/** Whether a failed assertion stops publication or is published with the version as a warning. */
export type Severity = 'blocking' | 'warning'

/** A check on a pipeline's output, measured on every run. */
export type QualityAssertion =
  | { kind: 'not-null'; column: string; severity: Severity }
  | { kind: 'unique'; columns: readonly string[]; severity: Severity }
  | { kind: 'range'; column: string; min: number; max: number; severity: Severity }
  /** Share of rows for which `condition` holds (e.g. matched to a reference) must reach `min`. */
  | { kind: 'coverage'; name: string; condition: string; min: number; severity: Severity }
  /** The newest value of `column` must be at most `maxAgeDays` old when the run happens. */
  | { kind: 'freshness'; column: string; maxAgeDays: number; severity: Severity }

export function assertionName(assertion: QualityAssertion): string {
  switch (assertion.kind) {
    case 'not-null':
      return `not-null(${assertion.column})`
    case 'unique':
      return `unique(${assertion.columns.join(', ')})`
    case 'range':
      return `range(${assertion.column})`
    case 'coverage':
      return `coverage(${assertion.name})`
    case 'freshness':
      return `freshness(${assertion.column})`
  }
}

/**
 * An aggregate SQL expression that measures an assertion over the output; all of a pipeline's
 * assertions are measured in one scan.
 */
export function assertionExpression(assertion: QualityAssertion, now: Date): string {
  switch (assertion.kind) {
    case 'not-null':
      return `count(*) FILTER (WHERE ${quoteIdent(assertion.column)} IS NULL)`
    case 'unique':
      return `count(*) - count(DISTINCT (${assertion.columns.map(quoteIdent).join(', ')}))`
    case 'range': {
      const column = quoteIdent(assertion.column)
      return `count(*) FILTER (WHERE ${column} < ${assertion.min} OR ${column} > ${assertion.max})`
    }
    case 'coverage':
      return `coalesce(avg(CASE WHEN ${assertion.condition} THEN 1.0 ELSE 0.0 END), 1.0)`
    case 'freshness':
      return `coalesce(date_diff('day', max(${quoteIdent(assertion.column)})::DATE, '${now.toISOString().slice(0, 10)}'::DATE), 1e9)`
  }
}

/** Judges a measurement against the assertion. */
export function judge(assertion: QualityAssertion, observed: number): QualityResult {
  const base = {
    name: assertionName(assertion),
    kind: assertion.kind,
    severity: assertion.severity,
    observed,
  }
  switch (assertion.kind) {
    case 'not-null':
    case 'unique':
    case 'range':
      return { ...base, passed: observed === 0, expected: '0 violating rows' }
    case 'coverage':
      return {
        ...base,
        observed: Math.round(observed * 10_000) / 10_000,
        passed: observed >= assertion.min,
        expected: `at least ${assertion.min}`,
      }
    case 'freshness':
      return {
        ...base,
        passed: observed <= assertion.maxAgeDays,
        expected: `at most ${assertion.maxAgeDays} days old`,
      }
  }
}

export function summarise(results: QualityResult[]): QualitySummary {
  return {
    checked: results.length,
    passed: results.filter((r) => r.passed).length,
    blockingFailures: results.filter((r) => !r.passed && r.severity === 'blocking').length,
    warnings: results.filter((r) => !r.passed && r.severity === 'warning').length,
    results,
  }
}
