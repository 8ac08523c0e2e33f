import type { DuckDBConnection } from '@duckdb/node-api'
import {
  answerSql,
  cellKeySql,
  ROW_COLUMN,
  readTableRequest,
  type TableRequest,
  tableSql,
  UNIT_COLUMN,
  unitsViewOf,
} from './aggregate-query.js'
import { sqlString } from './answer-formats.js'
import { type Answer, type Interruption, writeAnswer } from './answer-writers.js'
import { type CheckedCell, checkCells, type Difference, refusalMessage } from './output-checks.js'
import { type DisclosureJob, JobError, type Release, type WorkerJob } from './worker-protocol.js'

/** Cells an aggregate answer may have at most: each is checked. */
const MAX_CELLS = 10_000
/** The key of an answer's whole population, compared beside its cells. */
const TOTAL = '__total'

/**
 * The answer of a job over an aggregate-only view, written only if it passes output checks: the
 * caller's statement is read as a table request, the table is made by SQL written here, every
 * cell is judged (people, contributors, dominance, and its difference, and the whole answer's,
 * from every cell and answer released to this person from this dataset before), and only then
 * are the caller's columns written. Refused otherwise, naming the rule, never a value.
 */
export async function answerAggregate(
  connection: DuckDBConnection,
  job: WorkerJob & { disclosure: DisclosureJob },
  readViews: readonly string[],
  watch: Interruption,
): Promise<Answer & { release: Release }> {
  const aggregate = job.views.filter((v) => v.aggregate)
  if (readViews.some((v) => !aggregate.some((a) => a.name === v)))
    throw new JobError({
      kind: 'refused',
      message:
        'An aggregate-only view is queried on its own: it cannot be joined or combined with your other views',
    })
  const views = new Map(
    aggregate.map((v) => [v.name, new Map((v.columns ?? []).map((c) => [c.name, c.type]))]),
  )
  const identifiers = new Set(aggregate.flatMap((v) => v.identifiers ?? []))
  const request = await readTableRequest(connection, job.sql, views, identifiers)
  await quietly(() => connection.run(`CREATE TEMP TABLE __checked AS ${tableSql(request)}`))
  const rows = await readAll(
    connection,
    `SELECT __cell, __units${request.measures.map((_, i) => `, c${i}`).join('')} FROM __checked LIMIT ${MAX_CELLS + 1}`,
  )
  if (rows.length > MAX_CELLS)
    throw new JobError({
      kind: 'refused',
      message: `The answer has more than ${MAX_CELLS} cells: group more broadly`,
    })
  const units = `"${unitsViewOf(request.view)}"`
  const magnitudes = await quietly(() => magnitudesOf(connection, request, units))
  const cells: CheckedCell[] = rows.map((row) => ({
    units: Number(row[1]),
    contributors: request.measures.map((_, i) => Number(row[2 + i] ?? 0)),
    magnitudes: magnitudes.get(String(row[0])) ?? request.measures.map(() => undefined),
  }))
  const release: Release = {
    cell: cellKeySql(request),
    where: request.where,
    groups: request.groups,
    cells: rows.map((row) => String(row[0])),
  }
  const differences = await quietly(() =>
    differencesFrom(connection, units, release, job.disclosure),
  )
  const violations = checkCells(cells, job.disclosure.rules, request.groups, differences)
  if (violations.length > 0)
    throw new JobError({
      kind: 'refused',
      message: refusalMessage(violations, job.disclosure.rules),
    })
  const answer = await writeAnswer(
    connection,
    { ...job, sql: answerSql(request, '__checked') },
    watch,
  )
  return { ...answer, release }
}

/**
 * Runs work over the data, telling the caller nothing of what DuckDB says when it fails: the
 * platform writes every query here, so a failure is ours or a limit, and its words could quote
 * a row. Time and memory limits pass through as they are.
 */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (
      error instanceof JobError ||
      /INTERRUPT|Out of Memory|bad_alloc|Cannot allocate/i.test(message)
    )
      throw error
    throw new JobError({
      kind: 'invalid',
      message:
        'The table could not be made over this view, nor compared with your earlier answers (the engine’s words are not shown for aggregate-only data): check that sums and means are of numbers, and that your earlier answers’ columns are still in your grant',
    })
  }
}

/** Per cell, per sum or mean: people's absolute contributions, in total and the largest two. */
async function magnitudesOf(
  connection: DuckDBConnection,
  request: TableRequest,
  units: string,
): Promise<Map<string, CheckedCell['magnitudes']>> {
  const found = new Map<string, CheckedCell['magnitudes']>()
  const measured = request.measures
    .map((m, i) => ({ ...m, i }))
    .filter((m) => m.fn !== 'count' && m.column !== undefined)
  if (measured.length === 0) return found
  const perPerson = measured.map((m) => `sum("${m.column}") AS v${m.i}`).join(', ')
  const perCell = measured
    .map((m) => `sum(abs(v${m.i})) AS t${m.i}, max(abs(v${m.i}), 2) AS top${m.i}`)
    .join(', ')
  const rows = await readAll(
    connection,
    `SELECT cell, ${perCell} FROM (
       SELECT ${cellKeySql(request)} AS cell, ${UNIT_COLUMN}, ${perPerson} FROM ${units}
       ${request.where ? `WHERE ${request.where}` : ''} GROUP BY ALL
     ) GROUP BY cell`,
  )
  for (const row of rows) {
    const magnitudes: CheckedCell['magnitudes'] = request.measures.map(() => undefined)
    measured.forEach((m, j) => {
      magnitudes[m.i] = {
        measure: m.name,
        total: Number(row[1 + 2 * j] ?? 0),
        top: ((row[2 + 2 * j] as unknown[] | null) ?? []).map(Number),
      }
    })
    found.set(String(row[0]), magnitudes)
  }
  return found
}

/**
 * Earlier answers whose cells (or whole population) differ from this answer's cells (or whole)
 * by at least one and fewer than minCount people, or rows: subtracting the two would single out
 * those few. Each earlier answer is made again over the same view, every one of them.
 */
async function differencesFrom(
  connection: DuckDBConnection,
  units: string,
  release: Release,
  disclosure: DisclosureJob,
): Promise<Difference[]> {
  if (disclosure.earlier.length === 0) return []
  const population = (r: Release, tag: number) =>
    `SELECT DISTINCT ${tag} AS release, cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM (
       SELECT ${r.cell} AS cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM ${units} ${r.where ? `WHERE ${r.where}` : ''}
     ) WHERE cell IN (${r.cells.map(sqlString).join(', ') || 'NULL'})
     UNION ALL
     SELECT ${tag}, '${TOTAL}', ${ROW_COLUMN}, ${UNIT_COLUMN} FROM ${units} ${r.where ? `WHERE ${r.where}` : ''}`
  const earlier = disclosure.earlier.map((r, i) => population(r, i + 1)).join('\nUNION ALL\n')
  const minCount = disclosure.rules.minCount
  const rows = await readAll(
    connection,
    `WITH fresh AS (${population(release, 0)}),
     earlier AS (${earlier}),
     fresh_sizes AS (
       SELECT cell, count(DISTINCT ${ROW_COLUMN}) AS r, count(DISTINCT ${UNIT_COLUMN}) AS u FROM fresh GROUP BY cell
     ),
     earlier_sizes AS (
       SELECT release, cell, count(DISTINCT ${ROW_COLUMN}) AS r, count(DISTINCT ${UNIT_COLUMN}) AS u
       FROM earlier GROUP BY release, cell
     ),
     shared AS (
       SELECT f.cell, e.release, e.cell AS earlier_cell,
              count(DISTINCT f.${ROW_COLUMN}) FILTER (WHERE f.${ROW_COLUMN} = e.${ROW_COLUMN}) AS r,
              count(DISTINCT f.${UNIT_COLUMN}) AS u
       FROM fresh f JOIN earlier e USING (${UNIT_COLUMN}) GROUP BY f.cell, e.release, e.cell
     ),
     cell_pairs AS (
       SELECT s.cell, s.release, s.earlier_cell,
              fs.r + es.r - 2 * s.r AS dr, fs.u + es.u - 2 * s.u AS du
       FROM shared s
       JOIN fresh_sizes fs ON fs.cell = s.cell
       JOIN earlier_sizes es ON es.release = s.release AND es.cell = s.earlier_cell
     ),
     -- A cell against the union of the cells of one other answer that it overlaps: two cells
     -- of an earlier table add up to nearly this cell (or the reverse) as well as one does.
     covers AS (
       SELECT cell AS side_cell, release, earlier_cell AS other, 'fresh' AS kind FROM cell_pairs
       UNION ALL
       SELECT earlier_cell, release, cell, 'earlier' FROM cell_pairs
     ),
     cover_rows AS (
       SELECT c.side_cell, c.release, c.kind, x.${ROW_COLUMN}, x.${UNIT_COLUMN}
       FROM covers c
       JOIN (SELECT 0 AS tag, release, cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM earlier
             UNION ALL SELECT 1, release, cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM fresh) x
         ON x.tag = (CASE WHEN c.kind = 'fresh' THEN 0 ELSE 1 END)
        AND x.cell = c.other AND x.cell <> '${TOTAL}'
        AND (c.kind = 'earlier' OR x.release = c.release)
     ),
     cover_sizes AS (
       SELECT side_cell, release, kind, count(DISTINCT ${ROW_COLUMN}) AS r, count(DISTINCT ${UNIT_COLUMN}) AS u
       FROM cover_rows GROUP BY side_cell, release, kind
     ),
     side_rows AS (
       SELECT 'fresh' AS kind, 0 AS release, cell AS side_cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM fresh
       UNION ALL SELECT 'earlier', release, cell, ${ROW_COLUMN}, ${UNIT_COLUMN} FROM earlier
     ),
     cover_shared AS (
       SELECT c.side_cell, c.release, c.kind,
              count(DISTINCT c.${ROW_COLUMN}) FILTER (WHERE s.${ROW_COLUMN} IS NOT NULL) AS r
       FROM cover_rows c
       LEFT JOIN side_rows s ON s.kind = c.kind AND s.side_cell = c.side_cell
        AND (c.kind = 'fresh' OR s.release = c.release) AND s.${ROW_COLUMN} = c.${ROW_COLUMN}
       GROUP BY c.side_cell, c.release, c.kind
     ),
     cover_shared_units AS (
       SELECT c.side_cell, c.release, c.kind,
              count(DISTINCT c.${UNIT_COLUMN}) FILTER (WHERE s.${UNIT_COLUMN} IS NOT NULL) AS u
       FROM cover_rows c
       LEFT JOIN (SELECT DISTINCT kind, release, side_cell, ${UNIT_COLUMN} FROM side_rows) s
         ON s.kind = c.kind AND s.side_cell = c.side_cell
        AND (c.kind = 'fresh' OR s.release = c.release) AND s.${UNIT_COLUMN} = c.${UNIT_COLUMN}
       GROUP BY c.side_cell, c.release, c.kind
     ),
     side_sizes AS (
       SELECT kind, release, side_cell, count(DISTINCT ${ROW_COLUMN}) AS r, count(DISTINCT ${UNIT_COLUMN}) AS u
       FROM side_rows GROUP BY kind, release, side_cell
     ),
     unions AS (
       SELECT cs.release, ss.r + cs.r - 2 * sh.r AS dr, ss.u + cs.u - 2 * su.u AS du
       FROM cover_sizes cs
       JOIN cover_shared sh USING (side_cell, release, kind)
       JOIN cover_shared_units su USING (side_cell, release, kind)
       JOIN side_sizes ss ON ss.kind = cs.kind AND ss.side_cell = cs.side_cell
        AND (cs.kind = 'fresh' OR ss.release = cs.release)
     )
     SELECT DISTINCT release FROM (
       SELECT release, dr, du FROM cell_pairs UNION ALL SELECT release, dr, du FROM unions
     )
     WHERE release > 0
       AND (dr BETWEEN 1 AND ${minCount - 1} OR du BETWEEN 1 AND ${minCount - 1})
     ORDER BY release LIMIT 20`,
  )
  return rows.map((row) => ({
    earlierQuery: disclosure.earlier[Number(row[0]) - 1]?.query ?? 'earlier answer',
  }))
}

/** Rows as JSON values (lists as arrays, big integers as text). */
async function readAll(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql)
  return reader.getRowsJson() as unknown[][]
}
