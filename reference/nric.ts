/**
 * NRIC/FIN check letters (DOMAIN.md §1.1): weights 2,7,6,5,4,3,2 over the seven digits, an
 * offset by prefix, then a letter table by prefix series.
 */
const WEIGHTS = [2, 7, 6, 5, 4, 3, 2] as const
const OFFSET: Readonly<Record<string, number>> = { S: 0, T: 4, F: 0, G: 4, M: 3 }
const ST_LETTERS = 'JZIHGFEDCBA'
const FG_LETTERS = 'XWUTRQPNMLK'
const M_LETTERS = 'KLJNPQRTUWX'

export type UinfinPrefix = 'S' | 'T' | 'F' | 'G' | 'M'

/** The check letter for a prefix and seven digits, e.g. `('S', '1234567')` → `'D'`. */
export function uinfinCheckLetter(prefix: UinfinPrefix, digits: string): string {
  if (!/^\d{7}$/.test(digits)) throw new RangeError(`Expected seven digits, got '${digits}'`)
  let sum = OFFSET[prefix] ?? 0
  for (let i = 0; i < 7; i++) sum += Number(digits[i]) * (WEIGHTS[i] ?? 0)
  const r = sum % 11
  if (prefix === 'M') return M_LETTERS[10 - r] as string
  return ((prefix === 'S' || prefix === 'T' ? ST_LETTERS : FG_LETTERS)[r] ?? '') as string
}

/** Whether a string is a well-formed NRIC/FIN with the right check letter (case-sensitive). */
export function isValidUinfin(value: string): boolean {
  const match = /^([STFGM])(\d{7})([A-Z])$/.exec(value)
  if (!match) return false
  const [, prefix, digits, letter] = match
  return uinfinCheckLetter(prefix as UinfinPrefix, digits as string) === letter
}

/** The MyInfo-style partial form, `S1234567D` → `*****567D` (samples never show it). */
export function maskUinfin(value: string): string {
  return `*****${value.slice(-4)}`
}
