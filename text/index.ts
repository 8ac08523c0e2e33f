/**
 * @module text
 * The rules text follows everywhere: the longest input any field takes, the one rule for names
 * people pick from a list (NFKC, no invisible characters), canonical JSON for hashing, and CSV
 * fields. Imports nothing of ours.
 */

export { canonicalJson } from './canonical-json.js'
export { csvField } from './csv-field.js'
export { MAX_ITEMS, MAX_LENGTH } from './input-limits.js'
export {
  nameKey,
  pickedName,
  unseenCharacterIn,
} from './picked-name.js'
