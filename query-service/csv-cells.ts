import { sqlString } from './answer-formats.js'

// How every CSV the API produces writes a text cell: quoted as RFC 4180 requires, and neutralised
// against formula injection as OWASP recommends (a cell a spreadsheet would read as a formula is
// written after a single quote, and quoted). Stated once here, for the TypeScript writers and for
// DuckDB's COPY. Imports nothing of the rest of the product: query workers use it.

/** The characters that make a spreadsheet read a cell as a formula when they lead it. */
const FORMULA_LEADS = ['=', '+', '-', '@', '\t', '\r'] as const

/** What a neutralised cell starts with. */
const FORMULA_GUARD = "'"

/** The characters that make a field need quotes. */
const QUOTED = [',', '"', '\n', '\r'] as const

const LEAD_NAMES = FORMULA_LEADS.map((lead) =>
  lead === '\t' ? 'a tab' : lead === '\r' ? 'a carriage return' : `\`${lead}\``,
)

/** The rule in words, for the API reference. */
export const CSV_CELLS_RULE = [
  'CSV is neutralised against formula injection as OWASP recommends: a cell starting with',
  `${LEAD_NAMES.slice(0, -1).join(', ')} or ${LEAD_NAMES.at(-1)} is written after a single quote`,
  'and quoted (`=1+2` as `"\'=1+2"`), so spreadsheets show it as text. Numbers, dates, times,',
  'intervals, booleans and UUIDs are written as they are; every other type (text, JSON, lists,',
  'structs, unions, variants) is written as text and neutralised. Parquet, Arrow and JSON keep',
  'every value unchanged.',
].join(' ')

/** A text as a spreadsheet should read it: after a single quote if it would be a formula. */
function neutraliseFormula(text: string): string {
  return FORMULA_LEADS.some((lead) => text.startsWith(lead)) ? `${FORMULA_GUARD}${text}` : text
}

/** One text cell of a CSV line: neutralised, and quoted if it was or if it must be. */
export function csvCell(text: string): string {
  const cell = neutraliseFormula(text)
  return cell !== text || QUOTED.some((c) => cell.includes(c))
    ? `"${cell.replaceAll('"', '""')}"`
    : cell
}

/**
 * The same cell in DuckDB SQL, for a COPY that quotes nothing itself (`QUOTE ''`), from an
 * expression whose type is VARCHAR itself: a JSON value (VARCHAR under an alias) or any other type
 * must be `CAST(… AS VARCHAR)` first, or DuckDB would compare and build it as that type.
 * NULL stays NULL (an empty field) and an empty text is `""`, as DuckDB's own quoting writes them.
 * It tests the first character's code point and looks for four bytes: cheap per row.
 */
export function csvCellSql(text: string): string {
  const quoted = (...prefix: string[]) =>
    `concat('"', ${[...prefix, `replace(${text}, '"', '""')`].join(', ')}, '"')`
  const codes = (chars: readonly string[]) => chars.map((c) => c.codePointAt(0))
  const neutralise = `WHEN unicode(${text}) IN (${codes(FORMULA_LEADS).join(', ')}) THEN ${quoted(sqlString(FORMULA_GUARD))}`
  const quote = [`${text} = ''`, ...codes(QUOTED).map((code) => `contains(${text}, chr(${code}))`)]
  return `CASE ${neutralise} WHEN ${quote.join(' OR ')} THEN ${quoted()} ELSE ${text} END`
}
