import { oneOf } from '../access/index.js'
import type { CallerView } from './caller-views.js'
import type { JobFailure } from './worker-protocol.js'

/**
 * DuckDB's words for a query it could not run ("Binder Error: Referenced column … not found in
 * FROM clause!"), said about the caller's access instead: a column their grant leaves out is
 * named as such, a misspelt one gets the nearest of their columns, and what is left loses the
 * engine's prefix and its echo of the SQL. DuckDB gives these only as text, so the text is read.
 * Only `invalid` failures are worded again; `views` are the caller's views the query read.
 */
export function inPersonsWords(failure: JobFailure, views: readonly CallerView[]): JobFailure {
  if (failure.kind !== 'invalid') return failure
  return { ...failure, message: columnWords(failure.message, views) ?? plainWords(failure.message) }
}

/** `Binder Error: Referenced column "x" not found…` and `… does not have a column named "x"`. */
const MISSING_COLUMN =
  /^Binder Error: (?:Referenced column "([^"]+)" not found in FROM clause!(?:\nCandidate bindings: ([^\n]*))?|(?:Values list|Table) "([^"]+)" does not have a column named "([^"]+)")/

function columnWords(message: string, views: readonly CallerView[]): string | undefined {
  const found = MISSING_COLUMN.exec(message)
  if (!found) return undefined
  const column = found[1] ?? found[4] ?? ''
  const table = found[3]?.toLowerCase()
  const wanted = column.toLowerCase()
  const owner = views.find(
    (v) =>
      v.entitlement.schema.some((c) => c.name.toLowerCase() === wanted) &&
      !v.columns.some((c) => c.name.toLowerCase() === wanted),
  )
  if (owner) {
    const { dataset, scope, schema, columns } = owner.entitlement
    const held = schema.find((c) => c.name.toLowerCase() === wanted)
    const name = held?.name ?? column
    // An aggregate-only view leaves out the identifiers its grant names: granted, yet not shown.
    return scope === 'aggregates' &&
      held?.personalData === 'direct-identifier' &&
      (!columns || columns.includes(name))
      ? `${name} identifies people, which your aggregate-only access to ${dataset.title} never shows: group and count by other columns`
      : `${name} is not in your grant on ${dataset.title}: ask a steward for it by requesting access with that column`
  }
  const named = views.find((v) => v.name === table)
  const where = named ? [named] : views
  const candidates = found[2]
    ? [...found[2].matchAll(/"([^"]+)"/g)].map((m) => (m[1] ?? '').split('.').at(-1) ?? '')
    : where.flatMap((v) => v.columns.map((c) => c.name))
  const nearest = nearestName(column, candidates)
  const place = where.length === 0 ? 'what this query reads' : oneOf(where.map((v) => v.name))
  return `There is no column ${column} in ${place}${nearest ? `; did you mean ${nearest}?` : ''}`
}

/** The kinds of DuckDB error the worker reports as `invalid` (see worker-job.ts). */
const ENGINE_PREFIX =
  /^(?:Binder|Parser|Conversion|Catalog|Invalid Input|Constraint|Out of Range|Not implemented) Error: /i

/** DuckDB's message without its "… Error: " prefix, nor the SQL it echoes ("LINE 1: …"). */
function plainWords(message: string): string {
  const body = message.replace(ENGINE_PREFIX, '').split(/\n\s*\nLINE \d+:/)[0] ?? ''
  const fn =
    /^(?:Scalar|Aggregate|Table) Function with name (\S+) does not exist!(?:\s*Did you mean "([^"]+)"\?)?/.exec(
      body,
    )
  if (fn) return `There is no function ${fn[1]}()${fn[2] ? `; did you mean ${fn[2]}()?` : ''}`
  return body.replace(/\s*\n\s*/g, ' ').trim()
}

/** The name nearest to `name` by edit distance, when near enough to be a slip of the keys. */
function nearestName(name: string, names: readonly string[]): string | undefined {
  const wanted = name.toLowerCase()
  let best: { name: string; distance: number } | undefined
  for (const candidate of new Set(names)) {
    const distance = editDistance(wanted, candidate.toLowerCase())
    if (distance > 0 && (!best || distance < best.distance)) best = { name: candidate, distance }
  }
  return best && best.distance <= Math.max(2, Math.floor(wanted.length / 3)) ? best.name : undefined
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length] ?? 0
}
