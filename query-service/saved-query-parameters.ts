import { InvalidInputError } from '../core/index.js'

// A saved query's parameters are written `$name` in its SQL: DuckDB's own syntax for named
// parameters, so its parser finds them too, and the two findings are compared when the query is
// saved. A run fills each in with a typed literal made here; a value is never spliced in as text.

/** The types a parameter may have; its values are checked against it before a run. */
export const PARAMETER_TYPES = ['text', 'integer', 'number', 'date'] as const
export type ParameterType = (typeof PARAMETER_TYPES)[number]

/** A parameter's name: a letter or underscore first, then letters, digits or underscores. */
export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** One parameter of a saved query: its name in the SQL (without `$`), type, allowed values. */
export interface QueryParameter {
  name: string
  type: ParameterType
  /** The only values it may take, if limited; null: any value of its type. */
  choices: string[] | null
}

/** Where a parameter stands in the SQL text: `$name` from `start` up to (not including) `end`. */
export interface Placeholder {
  name: string
  start: number
  end: number
}

/** A value as a request sends it: text, or a JSON number for numeric parameters. */
export type ParameterValue = string | number

const IDENT_START = /[A-Za-z_\u0080-\uffff]/
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/
const DOLLAR_QUOTE = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/
const DOLLAR_NAME = /^\$([A-Za-z_][A-Za-z0-9_]*)/

/** Where the quoted text opened at `open` ends (after its closing quote), `''`-style doubling. */
function afterQuoted(sql: string, open: number, quote: string, backslashes: boolean): number {
  let i = open + 1
  while (i < sql.length) {
    const c = sql[i]
    if (backslashes && c === '\\') i += 2
    else if (c === quote && sql[i + 1] === quote) i += 2
    else if (c === quote) return i + 1
    else i++
  }
  return sql.length
}

/** Where the block comment opened at `open` ends; they nest, as in PostgreSQL. */
function afterBlockComment(sql: string, open: number): number {
  let depth = 0
  let i = open
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++
      i += 2
    } else if (sql.startsWith('*/', i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return sql.length
}

/**
 * Every `$name` of a SQL text that is a parameter: not inside a string, a quoted name, a
 * dollar-quoted string or a comment, and not part of a longer name (`a$b`).
 */
export function placeholdersIn(sql: string): Placeholder[] {
  const found: Placeholder[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i] ?? ''
    if (c === "'") i = afterQuoted(sql, i, "'", false)
    else if (c === '"') i = afterQuoted(sql, i, '"', false)
    else if (sql.startsWith('--', i)) {
      // A line comment ends at either line break, as DuckDB's lexer ends it.
      const end = sql.slice(i).search(/[\r\n]/)
      i = end < 0 ? sql.length : i + end + 1
    } else if (sql.startsWith('/*', i)) i = afterBlockComment(sql, i)
    else if (c === '$') {
      const rest = sql.slice(i, i + 200)
      const quote = DOLLAR_QUOTE.exec(rest)
      const name = DOLLAR_NAME.exec(rest)
      if (quote) {
        const close = sql.indexOf(quote[0], i + quote[0].length)
        i = close < 0 ? sql.length : close + quote[0].length
      } else if (name?.[1]) {
        found.push({ name: name[1], start: i, end: i + name[0].length })
        i += name[0].length
      } else i++
    } else if (IDENT_START.test(c)) {
      let end = i + 1
      while (end < sql.length && IDENT_PART.test(sql[end] ?? '')) end++
      // E'…' is a string in which a backslash escapes the next character.
      if (end === i + 1 && (c === 'e' || c === 'E') && sql[end] === "'")
        end = afterQuoted(sql, end, "'", true)
      i = end
    } else i++
  }
  return found
}

/** The SQL with each placeholder replaced by its literal (every placeholder must have one). */
export function fillPlaceholders(
  sql: string,
  placeholders: readonly Placeholder[],
  literals: ReadonlyMap<string, string>,
): string {
  let text = ''
  let from = 0
  for (const p of placeholders) {
    const literal = literals.get(p.name)
    if (literal === undefined) throw new Error(`No literal for the parameter $${p.name}`)
    text += `${sql.slice(from, p.start)}${literal}`
    from = p.end
  }
  return text + sql.slice(from)
}

const INTEGER = /^[-+]?\d{1,18}$/
const NUMBER = /^[-+]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})([eE][-+]?\d{1,3})?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const TYPE_HINTS: Record<ParameterType, string> = {
  text: 'any text',
  integer: 'a whole number such as 42',
  number: 'a number such as 3.5',
  date: 'a date as YYYY-MM-DD, such as 2026-03-31',
}

/** What a value of this type looks like, for messages and forms. */
export const typeHint = (type: ParameterType) => TYPE_HINTS[type]

const isRealDate = (text: string) => {
  const m = DATE.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

/**
 * A value in the one form this type accepts, as text (the form in which choices are kept), or
 * undefined when it is not a value of this type.
 */
export function normalValue(type: ParameterType, value: ParameterValue): string | undefined {
  if (type === 'text') return typeof value === 'string' ? value : undefined
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim()
  switch (type) {
    case 'integer':
      return INTEGER.test(text) ? String(BigInt(text)) : undefined
    case 'number':
      // 1e309 has a number's form but is none: DuckDB would read it as infinity, or refuse it.
      return NUMBER.test(text) && Number.isFinite(Number(text))
        ? text.replace(/^\+/, '')
        : undefined
    case 'date':
      return isRealDate(text) ? text : undefined
  }
}

/**
 * The SQL literal of a checked value. Each is one parenthesised token, so that it can neither
 * end a string nor start a comment (`x-$n` with -1 is `x-(-1)`, not `x--1`) nor join the text
 * around it.
 */
export function literalOf(type: ParameterType, normal: string): string {
  switch (type) {
    case 'text':
      return `('${normal.replaceAll("'", "''")}')`
    case 'integer':
    case 'number':
      return `(${normal})`
    case 'date':
      return `(DATE '${normal}')`
  }
}

/** A value of each type that stands in for the real one when a query is checked on saving. */
export function sampleLiteral(parameter: QueryParameter): string {
  const sample = parameter.choices?.[0]
  if (sample !== undefined) return literalOf(parameter.type, sample)
  return literalOf(
    parameter.type,
    { text: 'text', integer: '1', number: '1.5', date: '2026-01-01' }[parameter.type],
  )
}

/**
 * The literal of every parameter for one run, checked against its type and choices: a value
 * missing, of no such parameter, of the wrong type or outside the choices is refused, naming
 * the parameter and what to send instead.
 */
export function literalsFor(
  parameters: readonly QueryParameter[],
  values: Readonly<Record<string, ParameterValue>>,
): Map<string, string> {
  const known = new Set(parameters.map((p) => p.name))
  const unknown = Object.keys(values).filter((name) => !known.has(name))
  if (unknown.length > 0)
    throw new InvalidInputError(
      `values.${unknown[0]}: this query has no such parameter; ${
        parameters.length === 0
          ? 'it takes none'
          : `its parameters are ${parameters.map((p) => p.name).join(', ')}`
      }`,
    )
  const literals = new Map<string, string>()
  for (const parameter of parameters) {
    const value = values[parameter.name]
    const field = `values.${parameter.name}`
    if (value === undefined)
      throw new InvalidInputError(`${field}: give a value (${typeHint(parameter.type)})`)
    const normal = normalValue(parameter.type, value)
    if (normal === undefined)
      throw new InvalidInputError(
        `${field}: '${String(value).slice(0, 40)}' is not ${typeHint(parameter.type)}`,
      )
    if (parameter.choices && !parameter.choices.includes(normal))
      throw new InvalidInputError(
        `${field}: choose one of ${parameter.choices.map((c) => `'${c}'`).join(', ')}`,
      )
    literals.set(parameter.name, literalOf(parameter.type, normal))
  }
  return literals
}
