import type { DuckDBConnection } from '@duckdb/node-api'
import { planAggregate, UNIT_COLUMN, unitsViewOf } from './aggregate-query.js'
import { sqlString } from './answer-formats.js'
import { type Answer, type Interruption, writeAnswer } from './answer-writers.js'
import { type CheckedCell, checkCells, type Difference, refusalMessage } from './output-checks.js'
import { type DisclosureJob, JobError, type Release, type WorkerJob } from './worker-protocol.js'

/** Cells an aggregate answer may have at most: each is checked, and named if it fails. */
const MAX_CELLS = 10_000

let aggregateNames: Promise<Set<string>> | undefined

/**
 * The answer of a job over an aggregate-only view, written only if it passes output checks: the
 * caller's statement runs in its checked form, every cell is judged (people, contributors,
 * dominance, and its difference from every cell released to this person before), and only then
 * are the caller's columns written. Refused otherwise, naming the rule and the cells.
 */
export async function answerAggregate(
  connection: DuckDBConnection,
  job: WorkerJob & { disclosure: DisclosureJob },
  readViews: readonly string[],
  watch: Interruption,
): Promise<Answer & { release: Release }> {
  const aggregateViews = new Set(job.views.filter((v) => v.aggregate).map((v) => v.name))
  if (readViews.some((v) => !aggregateViews.has(v)))
    throw new JobError({
      kind: 'refused',
      message:
        'An aggregate-only view is queried on its own: it cannot be joined or combined with your other views',
    })
  aggregateNames ??= readAggregateNames(connection)
  const identifiers = new Set(job.views.flatMap((v) => v.identifiers ?? []))
  const plan = await planAggregate(
    connection,
    job.sql,
    aggregateViews,
    await aggregateNames,
    identifiers,
  )
  await connection.run(`CREATE TEMP TABLE __checked AS ${plan.checked}`)
  const hidden = ['__units', '__cell', ...plan.aggregates.map((_, i) => `__contributors_${i}`)]
  const rows = await readAll(
    connection,
    `SELECT __cell, __units, ${plan.aggregates.map((_, i) => `__contributors_${i}`).join(', ') || 'NULL'} FROM __checked LIMIT ${MAX_CELLS + 1}`,
  )
  if (rows.length > MAX_CELLS)
    throw new JobError({
      kind: 'refused',
      message: `The answer has more than ${MAX_CELLS} cells: group more broadly`,
    })
  const units = `"${unitsViewOf(plan.view)}"`
  const magnitudes = await magnitudesOf(connection, plan, units)
  const name = (key: string) => cellName(plan.groups, key)
  const cells: CheckedCell[] = rows.map((row) => {
    const key = String(row[0])
    return {
      name: name(key),
      units: Number(row[1]),
      contributors: plan.aggregates.map((_, i) => Number(row[2 + i] ?? 0)),
      magnitudes: magnitudes.get(key) ?? plan.aggregates.map(() => undefined),
    }
  })
  const released = rows.map((row) => String(row[0]))
  const release: Release = {
    cell: plan.cell,
    where: plan.where,
    groups: plan.groups,
    cells: released,
  }
  const differences = await differencesFrom(connection, units, release, job.disclosure, name)
  const violations = checkCells(cells, job.disclosure.rules, differences)
  if (violations.length > 0)
    throw new JobError({
      kind: 'refused',
      message: refusalMessage(violations, job.disclosure.rules),
    })
  const answer = await writeAnswer(
    connection,
    { ...job, sql: `SELECT * EXCLUDE (${hidden.join(', ')}) FROM __checked` },
    watch,
  )
  return { ...answer, release }
}

async function readAggregateNames(connection: DuckDBConnection): Promise<Set<string>> {
  const rows = await readAll(
    connection,
    "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'",
  )
  return new Set(rows.map((r) => String(r[0])))
}

/** Per cell, per magnitude aggregate: people's absolute contributions, total and largest two. */
async function magnitudesOf(
  connection: DuckDBConnection,
  plan: Awaited<ReturnType<typeof planAggregate>>,
  units: string,
): Promise<Map<string, CheckedCell['magnitudes']>> {
  const found = new Map<string, CheckedCell['magnitudes']>()
  const measured = plan.aggregates
    .map((a, i) => ({ ...a, i }))
    .filter((a) => ['sum', 'avg', 'mean'].includes(a.name) && a.argument !== undefined)
  if (measured.length === 0) return found
  const perPerson = measured.map((a) => `sum(${a.argument}) AS c${a.i}`).join(', ')
  const perCell = measured
    .map((a) => `sum(abs(c${a.i})) AS t${a.i}, max(abs(c${a.i}), 2) AS top${a.i}`)
    .join(', ')
  const rows = await readAll(
    connection,
    `SELECT cell, ${perCell} FROM (
       SELECT ${plan.cell} AS cell, ${UNIT_COLUMN}, ${perPerson} FROM ${units}
       ${plan.where ? `WHERE ${plan.where}` : ''} GROUP BY ALL
     ) GROUP BY cell`,
  )
  for (const row of rows) {
    const magnitudes: CheckedCell['magnitudes'] = plan.aggregates.map(() => undefined)
    measured.forEach((a, j) => {
      magnitudes[a.i] = {
        aggregate: a.text,
        total: Number(row[1 + 2 * j] ?? 0),
        top: ((row[2 + 2 * j] as unknown[] | null) ?? []).map(Number),
      }
    })
    found.set(String(row[0]), magnitudes)
  }
  return found
}

/**
 * Cells of this answer whose people differ from those of a cell released to the same person
 * before by at least one and fewer than minCount: subtracting the two would single them out.
 */
async function differencesFrom(
  connection: DuckDBConnection,
  units: string,
  release: Release,
  disclosure: DisclosureJob,
  name: (key: string) => string,
): Promise<Difference[]> {
  if (disclosure.earlier.length === 0 || release.cells.length === 0) return []
  const population = (r: Release, tag: number) =>
    `SELECT DISTINCT ${tag} AS release, cell, ${UNIT_COLUMN} FROM (
       SELECT ${r.cell} AS cell, ${UNIT_COLUMN} FROM ${units} ${r.where ? `WHERE ${r.where}` : ''}
     ) WHERE cell IN (${r.cells.map(sqlString).join(', ')})`
  const earlier = disclosure.earlier.map((r, i) => population(r, i + 1)).join('\nUNION ALL\n')
  const rows = await readAll(
    connection,
    `WITH fresh AS (${population(release, 0)}),
     earlier AS (${earlier}),
     fresh_sizes AS (SELECT cell, count(*) AS n FROM fresh GROUP BY cell),
     earlier_sizes AS (SELECT release, cell, count(*) AS n FROM earlier GROUP BY release, cell),
     shared AS (
       SELECT f.cell, e.release, e.cell AS earlier_cell, count(*) AS both
       FROM fresh f JOIN earlier e USING (${UNIT_COLUMN}) GROUP BY f.cell, e.release, e.cell
     )
     SELECT s.cell, s.release, s.earlier_cell, fs.n + es.n - 2 * s.both AS people
     FROM shared s
     JOIN fresh_sizes fs ON fs.cell = s.cell
     JOIN earlier_sizes es ON es.release = s.release AND es.cell = s.earlier_cell
     WHERE fs.n + es.n - 2 * s.both BETWEEN 1 AND ${disclosure.rules.minCount - 1}
     ORDER BY people LIMIT 20`,
  )
  return rows.map((row) => {
    const before = disclosure.earlier[Number(row[1]) - 1]
    return {
      cell: name(String(row[0])),
      earlier: {
        query: before?.query ?? '',
        cell: cellName(before?.groups ?? [], String(row[2])),
      },
      people: Number(row[3]),
    }
  })
}

/** A cell as people read it: `condition_code = E11, age_band = 65+`, or "all rows". */
export function cellName(groups: readonly string[], key: string): string {
  const values = JSON.parse(key) as unknown[]
  if (groups.length === 0) return 'all rows'
  return groups
    .map((g, i) => `${g} = ${values[i] === null ? 'NULL' : String(values[i])}`)
    .join(', ')
}

/** Rows as JSON values (lists as arrays, big integers as text). */
async function readAll(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql)
  return reader.getRowsJson() as unknown[][]
}
