import { z } from 'zod'

/**
 * Characters nobody can see or type in a name: controls (Cc), format characters (Cf: zero-width
 * space and joiner, byte-order mark, bidi overrides), private-use (Co), unassigned (Cn), lone
 * surrogates (Cs), line and paragraph separators (Zl, Zp). Tab and line breaks are whitespace.
 */
const UNSEEN = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/u
const UNSEEN_ALL = new RegExp(UNSEEN.source, 'gu')
const SPACES = /[\p{Zs}\t\n\r]+/gu

const KINDS: [RegExp, string][] = [
  [/\p{Cc}/u, 'a control character'],
  [/\p{Cf}/u, 'an invisible character'],
  [/\p{Co}/u, 'a private-use character'],
  [/\p{Cs}/u, 'a lone surrogate'],
  [/[\p{Zl}\p{Zp}]/u, 'a line or paragraph separator'],
  [/\p{Cn}/u, 'an unassigned code point'],
]

const codePoint = (char: string) =>
  `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

/**
 * Why a name is refused, e.g. "contains an invisible character U+200B", naming its first
 * character nobody can see or type; undefined when it has none.
 */
export function unseenCharacterIn(text: string): string | undefined {
  const char = UNSEEN.exec(text)?.[0]
  if (char === undefined) return undefined
  const kind = KINDS.find(([pattern]) => pattern.test(char))?.[1] ?? 'an invisible character'
  return `contains ${kind} ${codePoint(char)}`
}

/**
 * A name as lists show it: NFKC (full-width letters as ASCII, ligatures split, combining
 * sequences composed), each run of whitespace one space, trimmed. Refusing unseen characters is
 * {@link unseenCharacterIn}'s part: check it first.
 */
export function normalizeName(text: string): string {
  return text.normalize('NFKC').replace(SPACES, ' ').trim()
}

/**
 * What two names are compared by when they must differ to be told apart: normalised, with
 * unseen characters dropped and letter case folded, so names stored before the rule compare too.
 */
export function nameKey(text: string): string {
  return normalizeName(text.replace(UNSEEN_ALL, '')).toUpperCase().toLowerCase()
}

export interface PickedNameOptions {
  /** Characters at most, as sent and as normalised. */
  max: number
  /** Characters at least, once normalised (1 by default). */
  min?: number
  /** The message when it is shorter than `min`. */
  tooShort?: string
}

/**
 * A name people pick from a list (a glossary term, a tag, a column, a project), validated and
 * normalised by one rule: a character nobody can see or type is refused naming its code point,
 * and the name is kept as {@link normalizeName} writes it.
 */
export function pickedName({ max, min = 1, tooShort }: PickedNameOptions) {
  const bounds = `at most ${max.toLocaleString('en')} characters`
  return z
    .string()
    .max(max, bounds)
    .transform((text, ctx) => {
      const unseen = unseenCharacterIn(text.normalize('NFKC'))
      if (!unseen) return normalizeName(text)
      ctx.addIssue({ code: 'custom', message: unseen, input: text })
      return z.NEVER
    })
    .pipe(
      z
        .string()
        .min(min, tooShort ?? `at least ${min} character${min === 1 ? '' : 's'}`)
        .max(max, `${bounds} once normalised`),
    )
}
