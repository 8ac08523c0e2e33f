import type { ParameterType } from '../api/use-saved-queries.js'

// Parameters are written `$name`, as DuckDB writes named parameters. This finds them to offer a
// type for each while saving; the server finds them again (with DuckDB's own parser) and has the
// last word.

const NAME = /^\$([A-Za-z_][A-Za-z0-9_]*)/
const DOLLAR_QUOTE = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/

/** Where quoted text opened at `open` ends, quotes doubled inside it (backslashes too in E'…'). */
function afterQuoted(sql: string, open: number, quote: string, backslashes: boolean): number {
  let i = open + 1
  while (i < sql.length) {
    if (backslashes && sql[i] === '\\') i += 2
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2
    else if (sql[i] === quote) return i + 1
    else i++
  }
  return sql.length
}

/** The names of a SQL text's `$name` parameters, in order of first use, each once. */
export function parametersIn(sql: string): string[] {
  const names: string[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i] ?? ''
    if (c === "'") i = afterQuoted(sql, i, "'", false)
    else if (c === '"') i = afterQuoted(sql, i, '"', false)
    else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i)
      i = end < 0 ? sql.length : end + 1
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === '$') {
      const rest = sql.slice(i, i + 200)
      const quote = DOLLAR_QUOTE.exec(rest)
      const name = NAME.exec(rest)
      if (quote) {
        const close = sql.indexOf(quote[0], i + quote[0].length)
        i = close < 0 ? sql.length : close + quote[0].length
      } else if (name?.[1]) {
        if (!names.includes(name[1])) names.push(name[1])
        i += name[0].length
      } else i++
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1
      while (end < sql.length && /[A-Za-z0-9_$]/.test(sql[end] ?? '')) end++
      i =
        end === i + 1 && /[eE]/.test(c) && sql[end] === "'" ? afterQuoted(sql, end, "'", true) : end
    } else i++
  }
  return names
}

/** A first guess at a parameter's type from its name: dates and counts by their usual names. */
export function guessType(name: string): ParameterType {
  if (/(^|_)(date|day|from|to|since|until|start|end)($|_)/i.test(name)) return 'date'
  if (/(^|_)(n|count|limit|year|age|min|max|top)($|_)/i.test(name)) return 'integer'
  return 'text'
}

const CHECKS: Record<ParameterType, { test: (value: string) => boolean; hint: string }> = {
  text: { test: () => true, hint: 'any text' },
  integer: { test: (v) => /^[-+]?\d{1,18}$/.test(v.trim()), hint: 'a whole number such as 42' },
  number: {
    test: (v) => /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(v.trim()),
    hint: 'a number such as 3.5',
  },
  date: {
    test: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
    hint: 'a date as YYYY-MM-DD',
  },
}

/** What a value of this type looks like, in words. */
export const typeHint = (type: ParameterType) => CHECKS[type].hint

/** Why a value does not fit its type, or undefined when it does. */
export function problemWith(type: ParameterType, value: string): string | undefined {
  if (value === '') return 'Give a value'
  return CHECKS[type].test(value) ? undefined : `Give ${CHECKS[type].hint}`
}
