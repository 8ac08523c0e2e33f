import { POSTAL_SECTORS } from '../core/index.js'
import { quoteLiteral } from './duckdb-sql.js'
import type { ValueRule } from './feed-contract.js'

/**
 * DuckDB macros the rules rely on. The NRIC/FIN check letter of DOMAIN.md §1.1 in SQL, so that
 * a million rows are checked by the engine rather than one by one in JavaScript.
 */
export const VALUE_RULE_MACROS = `
CREATE OR REPLACE TEMP MACRO uinfin_remainder(v) AS ((
  2 * TRY_CAST(substr(v, 2, 1) AS INTEGER) + 7 * TRY_CAST(substr(v, 3, 1) AS INTEGER)
  + 6 * TRY_CAST(substr(v, 4, 1) AS INTEGER) + 5 * TRY_CAST(substr(v, 5, 1) AS INTEGER)
  + 4 * TRY_CAST(substr(v, 6, 1) AS INTEGER) + 3 * TRY_CAST(substr(v, 7, 1) AS INTEGER)
  + 2 * TRY_CAST(substr(v, 8, 1) AS INTEGER)
  + CASE substr(v, 1, 1) WHEN 'T' THEN 4 WHEN 'G' THEN 4 WHEN 'M' THEN 3 ELSE 0 END) % 11);
CREATE OR REPLACE TEMP MACRO uinfin_valid(v) AS (
  regexp_full_match(v, '[STFGM][0-9]{7}[A-Z]') AND substr(v, 9, 1) = CASE
    WHEN substr(v, 1, 1) IN ('S', 'T') THEN substr('JZIHGFEDCBA', uinfin_remainder(v) + 1, 1)
    WHEN substr(v, 1, 1) IN ('F', 'G') THEN substr('XWUTRQPNMLK', uinfin_remainder(v) + 1, 1)
    ELSE substr('KLJNPQRTUWX', 11 - uinfin_remainder(v), 1) END);
`

const SECTORS = POSTAL_SECTORS.map((s) => quoteLiteral(s.sector)).join(', ')

/** A SQL condition that holds when `value` passes the rule. */
export function ruleCondition(rule: ValueRule, value: string): string {
  switch (rule.kind) {
    case 'uinfin':
      return `uinfin_valid(${value})`
    case 'postal-code':
      return `(regexp_full_match(${value}, '[0-9]{6}') AND substr(${value}, 1, 2) IN (${SECTORS}))`
    case 'one-of':
      return `${value} IN (${rule.values.map(quoteLiteral).join(', ')})`
    case 'range':
      return `${value} BETWEEN ${rule.min} AND ${rule.max}`
  }
}

/** Why a value failing the rule was refused, in words a data steward reads. */
export function ruleReason(rule: ValueRule): string {
  switch (rule.kind) {
    case 'uinfin':
      return 'is not an NRIC/FIN with a valid check letter'
    case 'postal-code':
      return 'is not a six-digit postal code in a valid sector'
    case 'one-of':
      return `is not one of ${rule.values.join(', ')}`
    case 'range':
      return `is outside ${rule.min}..${rule.max}`
  }
}
