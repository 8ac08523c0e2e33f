import type { QualitySummary } from '../catalog/index.js'
import type { DuckDBConnection } from '../core/index.js'
import { quoteIdent, quoteLiteral, readRows } from '../core/index.js'
import type { Pipeline } from './pipelines/pipeline.js'
import { assertionExpression, judge, type QualityAssertion, summarise } from './quality.js'

/**
 * Measures every assertion of a pipeline over its candidate file, in one scan. The file is sorted
 * by the pipeline's key, so when that key is one column a repeat of a key sits next to it: its
 * uniqueness is counted by comparing each row with the row before (a window that streams), not
 * by a hash of every key (which holds them all). The same scan checks the order this relies on;
 * a file found out of it is measured again the general way.
 */
export async function measureQuality(
  conn: DuckDBConnection,
  pipeline: Pipeline,
  file: string,
  now: Date,
): Promise<QualitySummary> {
  const { assertions } = pipeline
  if (assertions.length === 0) return summarise([])
  const source = `read_parquet(${quoteLiteral(file)})`
  const [key] = pipeline.key
  const onKey = (a: QualityAssertion) =>
    pipeline.key.length === 1 &&
    a.kind === 'unique' &&
    a.columns.length === 1 &&
    a.columns[0] === key
  const general = (a: QualityAssertion) => assertionExpression(a, now)
  if (key === undefined || !assertions.some(onKey))
    return (await measure(conn, assertions, source, general)).summary

  const k = quoteIdent(key)
  // Empty OVER () keeps the file's order (DuckDB's order preservation); the struct tells the
  // first row (no row before it) from a row after a NULL key.
  const inOrder = `(SELECT *, lag({'key': ${k}}) OVER () AS __previous FROM ${source})`
  // As count(*) - count(DISTINCT key): every NULL key, and every key equal to the one before.
  const repeats = `count(*) FILTER (WHERE ${k} IS NULL OR ${k} = __previous.key)`
  // The file's order is ORDER BY key: ascending, NULLs last.
  const disorder = `count(*) FILTER (WHERE __previous IS NOT NULL AND (${k} < __previous.key OR (${k} IS NOT NULL AND __previous.key IS NULL)))`
  const sorted = await measure(
    conn,
    assertions,
    inOrder,
    (a) => (onKey(a) ? repeats : general(a)),
    disorder,
  )
  if (sorted.disorder === 0) return sorted.summary
  return (await measure(conn, assertions, source, general)).summary
}

/** The assertions measured by `expression` over `source`, and `disorder` when it is given. */
async function measure(
  conn: DuckDBConnection,
  assertions: readonly QualityAssertion[],
  source: string,
  expression: (assertion: QualityAssertion) => string,
  disorder = '0',
) {
  const measures = assertions.map((a, i) => `${expression(a)} AS m${i}`)
  const [row] = await readRows<Record<string, string | number>>(
    conn,
    `SELECT ${measures.join(', ')}, ${disorder} AS disorder FROM ${source}`,
  )
  return {
    summary: summarise(assertions.map((a, i) => judge(a, Number(row?.[`m${i}`] ?? 0)))),
    disorder: Number(row?.disorder ?? 0),
  }
}
