import { quoteLiteral } from '../../core/index.js'
import { POSTAL_SECTORS, SSIC_SECTIONS, UEN_ENTITY_TYPES } from '../../reference/index.js'
import type { ValueRule } from './feed-contract.js'

const SECTORS = POSTAL_SECTORS.map((s) => quoteLiteral(s.sector)).join(', ')
const SSIC_DIVISIONS = SSIC_SECTIONS.flatMap((s) =>
  Array.from({ length: s.divisions[1] - s.divisions[0] + 1 }, (_, i) => s.divisions[0] + i),
).join(', ')
const ENTITY_TYPES = UEN_ENTITY_TYPES.map(quoteLiteral).join(', ')

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
CREATE OR REPLACE TEMP MACRO uen_digit(v, i) AS TRY_CAST(substr(v, i, 1) AS INTEGER);
CREATE OR REPLACE TEMP MACRO uen_other_index(v, i) AS strpos('ABCDEFGHJKLMNPQRSTUVWX0123456789', substr(v, i, 1)) - 1;
CREATE OR REPLACE TEMP MACRO uen_valid(v) AS (CASE
  WHEN regexp_full_match(v, '[0-9]{8}[A-Z]') THEN substr(v, 9, 1) = substr('XMKECAWLJDB', ((
    10 * uen_digit(v, 1) + 4 * uen_digit(v, 2) + 9 * uen_digit(v, 3) + 3 * uen_digit(v, 4)
    + 8 * uen_digit(v, 5) + 2 * uen_digit(v, 6) + 7 * uen_digit(v, 7) + 1 * uen_digit(v, 8)) % 11) + 1, 1)
  WHEN regexp_full_match(v, '[0-9]{9}[A-Z]') THEN substr(v, 10, 1) = substr('ZKCMDNERGWH', ((
    10 * uen_digit(v, 1) + 8 * uen_digit(v, 2) + 6 * uen_digit(v, 3) + 4 * uen_digit(v, 4) + 9 * uen_digit(v, 5)
    + 7 * uen_digit(v, 6) + 5 * uen_digit(v, 7) + 3 * uen_digit(v, 8) + 1 * uen_digit(v, 9)) % 11) + 1, 1)
  WHEN regexp_full_match(v, '[TSR][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z]') THEN substr(v, 4, 2) IN (${ENTITY_TYPES})
    AND substr(v, 10, 1) = substr('ABCDEFGHJKLMNPQRSTUVWX0123456789', ((((
      4 * uen_other_index(v, 1) + 3 * uen_other_index(v, 2) + 5 * uen_other_index(v, 3) + 3 * uen_other_index(v, 4)
      + 10 * uen_other_index(v, 5) + 2 * uen_other_index(v, 6) + 2 * uen_other_index(v, 7) + 5 * uen_other_index(v, 8)
      + 7 * uen_other_index(v, 9)) - 5) % 11) + 11) % 11 + 1, 1)
  ELSE false END);
`

/** A SQL condition that holds when `value` passes the rule. */
export function ruleCondition(rule: ValueRule, value: string): string {
  switch (rule.kind) {
    case 'uinfin':
      return `uinfin_valid(${value})`
    case 'uen':
      return `uen_valid(${value})`
    case 'ssic':
      return `(regexp_full_match(${value}, '[0-9]{5}') AND CAST(substr(${value}, 1, 2) AS INTEGER) IN (${SSIC_DIVISIONS}))`
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
    case 'uen':
      return 'is not a UEN of a known format and entity type with a valid check letter'
    case 'ssic':
      return 'is not a five-digit SSIC code of a known division'
    case 'postal-code':
      return 'is not a six-digit postal code in a valid sector'
    case 'one-of':
      return `is not one of ${rule.values.join(', ')}`
    case 'range':
      return `is outside ${rule.min}..${rule.max}`
  }
}
