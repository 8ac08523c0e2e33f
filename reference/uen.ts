/**
 * UEN check letters (DOMAIN.md §1.2, as reverse-engineered by python-stdnum from the public UEN
 * data): businesses (ROB, 8 digits), local companies (ROC, year + 5 digits) and other entities
 * (T/S/R + year + entity type + 4 digits).
 */
const ROB_WEIGHTS = [10, 4, 9, 3, 8, 2, 7, 1] as const
const ROC_WEIGHTS = [10, 8, 6, 4, 9, 7, 5, 3, 1] as const
const OTHER_WEIGHTS = [4, 3, 5, 3, 10, 2, 2, 5, 7] as const
const OTHER_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWX0123456789'

/** Entity-type codes of "other" UENs (python-stdnum's list from uen.gov.sg). */
export const UEN_ENTITY_TYPES = [
  'CC',
  'CD',
  'CH',
  'CL',
  'CM',
  'CP',
  'CS',
  'CX',
  'DP',
  'FB',
  'FC',
  'FM',
  'FN',
  'GA',
  'GB',
  'GS',
  'HS',
  'LL',
  'LP',
  'MB',
  'MC',
  'MD',
  'MH',
  'MM',
  'MQ',
  'NB',
  'NR',
  'PA',
  'PB',
  'PF',
  'RF',
  'RP',
  'SM',
  'SS',
  'TC',
  'TU',
  'VH',
  'XL',
] as const

export type UenKind = 'rob' | 'roc' | 'other'

/** The check letter for the body of a UEN (everything but its last character). */
export function uenCheckLetter(kind: UenKind, body: string): string {
  if (kind === 'rob') return 'XMKECAWLJDB'[weighted(body, ROB_WEIGHTS, Number) % 11] as string
  if (kind === 'roc') return 'ZKCMDNERGWH'[weighted(body, ROC_WEIGHTS, Number) % 11] as string
  const sum = weighted(body, OTHER_WEIGHTS, (c) => OTHER_ALPHABET.indexOf(c))
  return OTHER_ALPHABET[(((sum - 5) % 11) + 11) % 11] as string
}

/** Which format a UEN has, if any. */
export function uenKind(value: string): UenKind | undefined {
  if (/^\d{8}[A-Z]$/.test(value)) return 'rob'
  if (/^\d{9}[A-Z]$/.test(value)) return 'roc'
  if (/^[TSR]\d{2}[A-Z]{2}\d{4}[A-Z]$/.test(value)) return 'other'
  return undefined
}

/** Whether a UEN is well-formed, of a known entity type, and has the right check letter. */
export function isValidUen(value: string): boolean {
  const kind = uenKind(value)
  if (!kind) return false
  if (kind === 'other' && !(UEN_ENTITY_TYPES as readonly string[]).includes(value.slice(3, 5)))
    return false
  return uenCheckLetter(kind, value.slice(0, -1)) === value.at(-1)
}

function weighted(
  body: string,
  weights: readonly number[],
  digitValue: (c: string) => number,
): number {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += digitValue(body[i] ?? '') * (weights[i] ?? 0)
  return sum
}
