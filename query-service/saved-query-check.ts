import { InvalidInputError } from '../core/index.js'
import {
  fillPlaceholders,
  normalValue,
  type Placeholder,
  placeholdersIn,
  type QueryParameter,
  sampleLiteral,
  typeHint,
} from './saved-query-parameters.js'
import { judgeSql, precheckSql } from './sql-gate.js'

/** DuckDB's parse of one SQL text, as `json_serialize_sql` answers it; nothing is run. */
export type SqlParser = (sql: string) => Promise<string>

/** Marks each placeholder for the parse that checks it stands where DuckDB reads a parameter. */
const MARK = 'saved_query_placeholder_'
const MISPLACED =
  'sql: its parameters could not be told apart from the text around them; write each as $name, outside quotes and comments'

const NUMBERED =
  'sql: name each parameter, a letter first, such as $region: numbered ($1) and ? parameters cannot be filled in by name'

/** Where in the text a refusal points, as people count: line and column. */
function where(sql: string, position: number | undefined): string {
  if (position === undefined) return ''
  const before = sql.slice(0, position).split('\n')
  return ` (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`
}

/** The names of the parameters DuckDB's parser found, once per use. */
function parsedParameters(serialized: string): string[] {
  const names: string[] = []
  JSON.parse(serialized, (_key, value: unknown) => {
    const node = value as { class?: unknown; identifier?: unknown } | null
    if (node && typeof node === 'object' && node.class === 'PARAMETER')
      names.push(String(node.identifier))
    return value
  })
  return names.sort()
}

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name, i) => name === b[i])

/**
 * The parameters as they will be kept: each named once, used in the SQL, its choices (if any)
 * values of its type in their one form; every `$name` of the SQL declared.
 */
function checkedParameters(
  parameters: readonly QueryParameter[],
  placeholders: readonly Placeholder[],
): QueryParameter[] {
  const used = new Set(placeholders.map((p) => p.name))
  const declared = new Set<string>()
  const checked = parameters.map((parameter, i) => {
    const field = `parameters[${i}]`
    if (declared.has(parameter.name))
      throw new InvalidInputError(`${field}.name: '${parameter.name}' is declared twice`)
    declared.add(parameter.name)
    if (!used.has(parameter.name))
      throw new InvalidInputError(
        `${field}.name: the SQL has no $${parameter.name}; remove the parameter or use it`,
      )
    if (!parameter.choices) return parameter
    const choices = parameter.choices.map((choice, j) => {
      const normal = normalValue(parameter.type, choice)
      if (normal === undefined)
        throw new InvalidInputError(
          `${field}.choices[${j}]: '${choice.slice(0, 40)}' is not ${typeHint(parameter.type)}`,
        )
      return normal
    })
    return { ...parameter, choices: [...new Set(choices)] }
  })
  const undeclared = [...used].filter((name) => !declared.has(name))
  if (undeclared.length > 0)
    throw new InvalidInputError(
      `parameters: give $${undeclared[0]} a type (text, integer, number or date), as the SQL uses it`,
    )
  return checked
}

/**
 * Checks a query before it is saved: its parameters are found alike by us and by DuckDB's
 * parser, each declared with a type, and the SQL, its parameters filled in with sample values,
 * passes the SQL gate over the owner's views (so it runs, for them at least). Answers the
 * parameters as they will be kept; throws a 400 naming what to fix otherwise.
 */
export async function checkSavedSql(
  sql: string,
  parameters: readonly QueryParameter[],
  views: ReadonlySet<string>,
  parse: SqlParser,
): Promise<QueryParameter[]> {
  const early = precheckSql(sql)
  if (early && !early.ok) throw new InvalidInputError(`sql: ${early.message}`)
  const serialized = await parse(sql)
  const parsed = JSON.parse(serialized) as { error?: unknown; error_message?: unknown }
  if (parsed.error !== false) {
    if (String(parsed.error_message).includes('parameters')) throw new InvalidInputError(NUMBERED)
    const verdict = judgeSql(sql, serialized, views)
    if (verdict.ok) throw new InvalidInputError('sql: the SQL text does not parse')
    throw new InvalidInputError(`sql: ${verdict.message}${where(sql, verdict.position)}`)
  }
  const placeholders = placeholdersIn(sql)
  const found = placeholders.map((p) => p.name).sort()
  const named = parsedParameters(serialized)
  if (!sameNames(found, named))
    throw new InvalidInputError(
      named.some((name) => !/^[A-Za-z_]/.test(name)) ? NUMBERED : MISPLACED,
    )
  // Names alike are not enough: each placeholder must be where DuckDB reads one, or a value
  // filled in there would land inside a string or a comment as DuckDB reads them. Each is
  // marked with a name of its own and the parse must find every mark once, and nothing else.
  const marked = placeholders.map((p, i) => ({ ...p, name: `${MARK}${i}` }))
  const markedSql = fillPlaceholders(
    sql,
    marked,
    new Map(marked.map((p) => [p.name, `$${p.name}`])),
  )
  const marks = marked.map((p) => p.name).sort()
  if (!sameNames(parsedParameters(await parse(markedSql)), marks))
    throw new InvalidInputError(MISPLACED)
  const checked = checkedParameters(parameters, placeholders)
  const samples = new Map(checked.map((p) => [p.name, sampleLiteral(p)]))
  const filled = fillPlaceholders(sql, placeholders, samples)
  const verdict = judgeSql(filled, await parse(filled), views)
  if (!verdict.ok) throw new InvalidInputError(`sql: ${verdict.message}`)
  return checked
}
