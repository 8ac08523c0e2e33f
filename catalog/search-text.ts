/**
 * How search reads identifiers: `NRIC/FIN`, `postal_code` and `postalCode` are each two words.
 * The database splits documents the same way (the `search_text` function of the catalogue's
 * migrations); the two must agree, or a query split here finds nothing split there.
 */

/** Splits camelCase, slashes and underscores into words, keeping the rest. */
export function splitIdentifiers(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[/_]+/g, ' ')
    .trim()
}

/** Whether a word is an identifier that splits into several words. */
export function isIdentifier(word: string): boolean {
  return /[a-z0-9][A-Z]|[^/_\s][/_]+[^/_\s]/.test(word)
}

/**
 * A phrase as glossary matching compares it: identifiers split, lower case, every run of
 * characters other than letters and digits one space. "NRIC/FIN" and "nric fin" are one key.
 */
export function searchKey(text: string): string {
  return splitIdentifiers(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}
