import { cpus } from 'node:os'
import type { Observation, Observations, Observed } from './scale-observations.js'
import {
  count,
  EXTRACT_FORMATS,
  FEEDS,
  FUSIONS,
  fraction,
  num,
  type StepFailure,
  slope,
} from './scale-results.js'

// Which component of `npm run bench:scale` would need a distributed engine first, by a stated
// rule over the measurements, and which existing engine it would move to.

/** The production node the rule assumes. */
const NODE = { cores: 16, memoryMb: 128 * 1024 }
/** Time limits of the rule, in seconds. */
const LIMITS = { batch: 3_600, extract: 600, searchP95: 1 }
const ENGINES = {
  ingest: {
    engine: 'Spark',
    why: 'the row checks are independent per row, so Spark SQL splits the same CSV by block across workers and writes the same staging Parquet.',
  },
  fusion: {
    engine: 'Spark SQL (or Trino) over the same Parquet',
    why: 'the pipelines are plain SQL over the staging Parquet files, so Spark SQL runs them nearly unchanged, partitioned by key across workers, with the spilling and task retries one DuckDB process lacks.',
  },
  search: {
    engine: 'OpenSearch',
    why: "it shards the inverted index and counts facets per shard, where PostgreSQL's full-text search answers each query on one node.",
  },
  extract: {
    engine: 'Trino',
    why: 'it scans the same Parquet in parallel across workers behind the same views and streams the result, where a query sandbox has one thread.',
  },
} as const
type Kind = keyof typeof ENGINES

/** A candidate with its cost at the largest point and where it reaches its limit. */
interface Row {
  name: string
  kind: Kind
  /** Undefined when the step failed there. */
  last: Observation | undefined
  limit: number
  b: number | undefined
  /** Multiples of the largest point's size: on this machine, on a production node. */
  here: number
  node: number
  failed: StepFailure | undefined
}

/**
 * The rule, as Markdown with its table and verdict: each production component's time at the
 * largest point, grown along its fitted slope b, reaches its limit at g = (limit ÷ time)^(1/b)
 * times that size; a step that failed at the largest point (out of memory, say) has reached a
 * limit there. The smallest g on a production node names the first component to distribute.
 */
export function nameFirst(
  largestPoint: number,
  observed: Observed,
  failures: readonly StepFailure[],
): string {
  const speedUp = NODE.cores / cpus().length
  const candidates: { name: string; kind: Kind; obs: Observations }[] = [
    ...FEEDS.filter((f) => f !== 'govtech_sensor_stations').map((feed) => ({
      name: `ingest ${feed}`,
      kind: 'ingest' as const,
      obs: observed.ingest(feed),
    })),
    ...FUSIONS.map((id) => ({
      name: `fusion ${id}`,
      kind: 'fusion' as const,
      obs: observed.fusion(id),
    })),
    { name: 'catalogue search p95', kind: 'search', obs: observed.search((s) => s.p95 / 1000) },
    ...EXTRACT_FORMATS.map((f) => ({
      name: `extract ${f}`,
      kind: 'extract' as const,
      obs: observed.extract(f),
    })),
  ]
  const rows = candidates.flatMap(({ name, kind, obs }): Row[] => {
    const limit =
      kind === 'search' ? LIMITS.searchP95 : kind === 'extract' ? LIMITS.extract : LIMITS.batch
    const b = slope(obs.map((o) => [o?.size ?? 0, o?.seconds]))
    // The search phase is one step, named after its phase.
    const failed = failures.find(
      (f) => f.step === name || (kind === 'search' && f.step === 'search'),
    )
    if (failed) return [{ name, kind, last: undefined, limit, b, here: 0, node: 0, failed }]
    const last = obs.at(-1)
    if (!last) return []
    // DuckDB's ingest and fusion use every core they are given; a sandbox and a backend one.
    const fasterThere = kind === 'ingest' || kind === 'fusion' ? speedUp : 1
    const here = reach(last.seconds, b, limit)
    const node = reach(last.seconds / fasterThere, b, limit)
    return [{ name, kind, last, limit, b, here, node, failed: undefined }]
  })
  rows.sort((x, y) => x.node - y.node || x.here - y.here)
  const table = [
    '| component | time at the largest point | b | peak RSS of its process meanwhile | limit | reaches it at: this machine | a production node | would move to |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const memory = r.last?.peakRssMb === undefined ? '—' : `${count(r.last.peakRssMb)} MB`
      const cost = r.last ? `${num(r.last.seconds)} s` : `failed: ${r.failed?.error ?? ''}`
      return `| ${r.name} | ${cost} | ${r.b?.toFixed(2) ?? '—'} | ${memory} | ${count(r.limit)} s | ${multiple(r.here)} | ${multiple(r.node)} | ${ENGINES[r.kind].engine} |`
    }),
  ].join('\n')
  const rule = `Rule: a component needs a distributed engine once one run or request of it no longer fits one node: a daily feed ingested, or a pipeline fused, within ${LIMITS.batch / 60} minutes (⚠ an assumed batch window); an extract within the query service's ${LIMITS.extract / 60}-minute limit for extracts; a catalogue search within ${LIMITS.searchP95} s at p95 (⚠ an assumed interactive budget). Each time at the largest point (${fraction(largestPoint)}) is grown along its own fitted slope b and reaches its limit at g = (limit ÷ time)^(1/b) times that size. Memory is not extrapolated: DuckDB holds itself to its memory limit and spills beyond it, so memory shows as time (spilling) or as a step that fails (an operator that cannot spill enough), and a failure at the largest point counts as a limit reached there. Production node assumed: ${NODE.cores} cores and ${NODE.memoryMb / 1024} GiB; ingest and fusion (DuckDB, parallel) taken to run ${num(speedUp)}× faster there (an upper bound), extracts and search not (one thread per query sandbox, one backend per query).`
  const first = rows[0]
  const unmeasured = candidates.filter((c) => !rows.some((r) => r.name === c.name))
  const reached = first?.failed
    ? `it already fails at the largest point (${fraction(largestPoint)}) on the engine as configured (${first.failed.error}); on one node, a larger memory limit for it (DUCKDB_MEMORY_LIMIT, QUERY_MEMORY_LIMIT) comes first`
    : `it reaches its limit at ${multiple(first?.node ?? 0)} the largest point's size on a production node (${multiple(first?.here ?? 0)} on this machine)`
  const verdict = first
    ? `**First: ${first.name}**: ${reached}. It would move to **${ENGINES[first.kind].engine}**: ${ENGINES[first.kind].why}`
    : 'No component was measured at the largest point.'
  const missing =
    unmeasured.length > 0
      ? `Not measured at the largest point (an earlier step failed): ${unmeasured.map((c) => c.name).join(', ')}.`
      : ''
  return [rule, '', table, '', verdict, ...(missing ? ['', missing] : [])].join('\n')
}

/** The multiple of today's size at which `cost` growing as size^b reaches `limit`. */
function reach(cost: number, b: number | undefined, limit: number): number {
  return b === undefined || b <= 0.05 ? Number.POSITIVE_INFINITY : (limit / cost) ** (1 / b)
}

function multiple(g: number): string {
  if (!Number.isFinite(g)) return 'never (b ≈ 0)'
  if (g > 100_000) return '> 100,000×'
  if (g === 0) return 'failed'
  if (g < 1) return 'already'
  return `${num(g)}×`
}
