import { cpus, totalmem } from 'node:os'
import type { Config } from '../../core/index.js'
import { NATIONAL_SIZES } from '../../fixtures/index.js'
import type { BenchFigure, BenchSection } from '../report/bench-section.js'
import { lineChart } from '../report/line-chart.js'
import {
  type Observation,
  type Observations,
  type Observed,
  observe,
} from './scale-observations.js'
import {
  count,
  EXTRACT_FORMATS,
  entriesAt,
  FEEDS,
  FUSIONS,
  fraction,
  mb,
  ms,
  num,
  type PointResult,
  rate,
  round,
  type SearchResult,
  slope,
} from './scale-results.js'
import { nameFirst } from './scale-verdict.js'

// The section `npm run bench:scale` reports: a table per component with its points, slope and
// projection, the figures the report compares between runs, and two log-log charts.

/** One measure of a component at every point, against the size it grows with. */
interface Measure {
  label: string
  key: string
  unit: string
  better: BenchFigure['better']
  sizes: number[]
  values: (number | undefined)[]
  /** Whether b and the projection mean anything (costs and sizes, not rates). */
  fit: boolean
}

/** The whole section from every point's results. */
export async function scaleReport(
  results: PointResult[],
  wallSeconds: number,
  config: Config,
): Promise<BenchSection> {
  const points = results.map((r) => r.point)
  const observed = observe(results)
  const figures: BenchFigure[] = []
  const table = (measures: Measure[]) => tableOf(points, measures, figures)
  const ingestFeeds = FEEDS.filter((f) => f !== 'govtech_sensor_stations')
  const search = (label: string, key: string, unit: string, pick: (s: SearchResult) => number) =>
    measureOf(
      label,
      key,
      unit,
      unit === 'MB' ? 'none' : 'lower',
      observed.search(pick),
      (o) => o.seconds,
    )
  const last = results
    .at(-1)
    ?.tc?.fusions.map(
      (f) =>
        `\`${f.pipeline}\` ${count(f.rowsOut)} rows (SQL ${ms(f.timings.fuseMs)}, quality ${ms(f.timings.qualityMs)}, publication ${ms(f.timings.publishMs)}, sample ${ms(f.timings.sampleMs)})`,
    )
  const largest = results.find((r) => r.extract)?.extract?.dataset
  const failures = results.flatMap((r) =>
    r.failures.map((f) => `at ${fraction(r.point)}, ${f.step}: ${f.error}`),
  )
  const entries = results.map((r) => count(r.search?.entries ?? entriesAt(r.point)))
  const markdown = [
    `Fractions of a country (${count(NATIONAL_SIZES.persons)} persons, ${count(NATIONAL_SIZES.businesses)} businesses, ${count(NATIONAL_SIZES.registry)} registry entries, ${count(NATIONAL_SIZES.addresses)} postal points, ${NATIONAL_SIZES.sensorDays} days of five-minute readings from 21 stations), and catalogue search over ${entries.join(' / ')} entries. Each point's generation, Trusted Centre (ingest, then fusion), extract and search run as processes of their own, so each peak memory (RSS) is its own. Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; DuckDB ${config.DUCKDB_THREADS} threads and ${config.DUCKDB_MEMORY_LIMIT} (spilling to disk beyond); query sandbox ${config.QUERY_THREADS} thread and ${config.QUERY_MEMORY_LIMIT}. Wall time of the whole run: **${(wallSeconds / 60).toFixed(1)} min**.`,
    '',
    "*b*: the exponent of cost ∝ size^b fitted on log-log over the points (1 = linear; below 1, fixed costs still weigh at the small points); *b, upper decade*: the slope between the two largest points alone; *at 10× the largest*: the largest point's value × 10^b. A step's peak RSS is its process's while it ran: DuckDB keeps memory (up to its limit) between steps, so it includes what earlier steps left.",
    ...(failures.length > 0 ? ['', `**Failed:** ${failures.join('; ')}.`] : []),
    '',
    '### Fixture generation (context, not a product component)',
    '',
    table([
      ...measuresOf(
        'all feeds (seconds: with the fixed-size KPI registers and the manifest)',
        'generate',
        observed.generated,
        'CSV size',
      ),
      ...['dos_persons', 'dos_businesses', 'govtech_sensor_readings'].flatMap((feed) =>
        measuresOf(feed, `generate.${feed}`, observed.feedGenerated(feed), 'CSV size').filter(
          (m) => !m.key.endsWith('rows_per_s'),
        ),
      ),
    ]),
    '',
    '### Ingest per feed (header check, typing, value rules, row-level quarantine)',
    '',
    table(ingestFeeds.flatMap((feed) => measuresOf(feed, `ingest.${feed}`, observed.ingest(feed)))),
    '',
    'Accepted + quarantined = rows in (✓: and rows in = the rows the generator wrote):',
    '',
    `| feed | ${points.map(fraction).join(' | ')} |`,
    `|${' --- |'.repeat(points.length + 1)}`,
    ...ingestFeeds.map(
      (feed) => `| ${feed} | ${results.map((r) => reconciled(r, feed)).join(' | ')} |`,
    ),
    '',
    '### Fusion per pipeline (size: accepted input rows; seconds include quality checks, publication and sample)',
    '',
    table([
      ...FUSIONS.flatMap((id) =>
        measuresOf(id, `fusion.${id}`, observed.fusion(id), 'published Parquet'),
      ),
      measureOf(
        'Trusted Centre process (size: rows ingested): peak RSS',
        'trusted_centre.peak_rss_mb',
        'MB',
        'lower',
        observed.trustedCentre,
        (o) => o.peakRssMb,
      ),
    ]),
    '',
    ...(last
      ? [
          `At the largest point: ${last.join('; ')}. The process held ${count(results.at(-1)?.tc?.startRssMb ?? 0)} MB before its first step (PGlite, DuckDB).`,
          '',
        ]
      : []),
    '### Catalogue search on PostgreSQL (size: catalogue entries; hits, total and 8 facet counts)',
    '',
    table([
      search('search p50', 'search.p50_ms', 'ms', (s) => s.p50),
      search('search p95', 'search.p95_ms', 'ms', (s) => s.p95),
      search(
        'load (1,000-row inserts, vacuum analyze)',
        'search.load_seconds',
        's',
        (s) => s.loadSeconds,
      ),
      search('database size', 'search.database_mb', 'MB', (s) => s.databaseMb),
    ]),
    '',
    `### Extract of the largest published dataset${largest ? ` (\`${largest}\`, under a grant, direct identifiers masked)` : ''}`,
    '',
    table(
      EXTRACT_FORMATS.flatMap((f) =>
        measuresOf(f, `extract.${f}`, observed.extract(f), 'bytes sent'),
      ),
    ),
    '',
    '### Which component needs a distributed engine first',
    '',
    nameFirst(points.at(-1) ?? 1, observed, results.at(-1)?.failures ?? []),
  ].join('\n')
  return {
    id: 'scale',
    title: "National scale: how each component grows from 1/100 to a country's size",
    markdown,
    figures,
    charts: await chartsOf(observed),
  }
}

/** One measure of a component's observations. */
function measureOf(
  label: string,
  key: string,
  unit: string,
  better: Measure['better'],
  obs: Observations,
  pick: (o: Observation) => number | undefined,
  fit = true,
): Measure {
  const sizes = obs.map((o) => o?.size ?? 0)
  return { label, key, unit, better, sizes, values: obs.map((o) => o && pick(o)), fit }
}

/** Seconds, rows per second, bytes and peak memory of a component, as far as observed. */
function measuresOf(name: string, key: string, obs: Observations, bytesAs = 'MB'): Measure[] {
  const has = (pick: (o: Observation) => number | undefined) =>
    obs.some((o) => o && pick(o) !== undefined)
  const of = (
    what: string,
    suffix: string,
    unit: string,
    better: Measure['better'],
    pick: (o: Observation) => number | undefined,
    fit = true,
  ) => measureOf(`${name}: ${what}`, `${key}.${suffix}`, unit, better, obs, pick, fit)
  return [
    of('seconds', 'seconds', 's', 'lower', (o) => o.seconds),
    ...(has((o) => o.rows)
      ? [of('rows/s', 'rows_per_s', 'rows/s', 'higher', (o) => rate(o.rows ?? 0, o.seconds), false)]
      : []),
    ...(has((o) => o.bytes)
      ? [of(bytesAs, 'mb', 'MB', 'none', (o) => (o.bytes === undefined ? undefined : mb(o.bytes)))]
      : []),
    ...(has((o) => o.peakRssMb)
      ? [of('peak RSS', 'peak_rss_mb', 'MB', 'lower', (o) => o.peakRssMb)]
      : []),
  ]
}

/** A component's table (each measure at every point, its slope, its projection); adds figures. */
function tableOf(points: number[], measures: Measure[], figures: BenchFigure[]): string {
  const rows = measures.map((m) => {
    const b = m.fit ? slope(m.sizes.map((x, i) => [x, m.values[i]])) : undefined
    const upper = m.fit
      ? slope(m.sizes.slice(-2).map((x, i) => [x, m.values.at(i - 2)]))
      : undefined
    const last = m.values.at(-1)
    const projected = b !== undefined && last !== undefined ? last * 10 ** b : undefined
    m.values.forEach((value, i) => {
      if (value !== undefined)
        figures.push({
          key: `scale.${m.key}.${points[i]}`,
          label: `${m.label} at ${fraction(points[i] ?? 0)} (size ${count(m.sizes[i] ?? 0)})`,
          value: round(value),
          unit: m.unit,
          better: m.better,
        })
    })
    if (b !== undefined)
      figures.push({
        key: `scale.${m.key}.slope`,
        label: `${m.label}: b of cost ∝ size^b`,
        value: round(b),
        unit: '',
        better: m.better === 'none' ? 'none' : 'lower',
      })
    const cells = [
      `${m.label} (${m.unit})`,
      m.sizes.map(count).join(' → '),
      ...m.values.map((v) => (v === undefined ? '—' : num(v))),
      b?.toFixed(2) ?? '',
      upper?.toFixed(2) ?? '',
      projected === undefined ? '' : num(projected),
    ]
    return `| ${cells.join(' | ')} |`
  })
  return [
    `| measure | size | ${points.map(fraction).join(' | ')} | b | b, upper decade | at 10× the largest |`,
    `|${' --- |'.repeat(points.length + 5)}`,
    ...rows,
  ].join('\n')
}

/** Accepted + quarantined = rows in, and rows in = rows written, for one feed at one point. */
function reconciled(result: PointResult, feed: string): string {
  const step = result.tc?.ingests.find((i) => i.feed === feed)
  const written = result.generate?.feeds.find((f) => f.feed === feed)?.rows
  if (!step) return '—'
  const ok = step.rowsIn === step.accepted + step.quarantined && step.rowsIn === written
  return `${count(step.accepted)} + ${count(step.quarantined)} = ${count(step.rowsIn)} ${ok ? '✓' : `✗ (written: ${count(written ?? 0)})`}`
}

/** Time and peak memory against size, both log-log. */
async function chartsOf(observed: Observed): Promise<BenchSection['charts']> {
  const line = (name: string, obs: Observations, pick: (o: Observation) => number | undefined) => ({
    name,
    points: obs.flatMap((o): [number, number][] => {
      const y = o && pick(o)
      return o && y !== undefined ? [[o.size, y]] : []
    }),
  })
  const seconds = (o: Observation) => o.seconds
  const peak = (o: Observation) => o.peakRssMb
  const time = [
    line('ingest dos_persons', observed.ingest('dos_persons'), seconds),
    line('ingest sensor readings', observed.ingest('govtech_sensor_readings'), seconds),
    ...FUSIONS.slice(1).map((id) => line(`fuse ${id}`, observed.fusion(id), seconds)),
    ...EXTRACT_FORMATS.map((f) => line(`extract ${f}`, observed.extract(f), seconds)),
    line(
      'search p95 (x: entries)',
      observed.search((s) => s.p95 / 1000),
      seconds,
    ),
  ]
  const memory = [
    line('generation process', observed.generated, peak),
    line('Trusted Centre process', observed.trustedCentre, peak),
    ...FUSIONS.slice(1).map((id) => line(`while fusing ${id}`, observed.fusion(id), peak)),
    ...EXTRACT_FORMATS.map((f) => line(`extract ${f}`, observed.extract(f), peak)),
  ]
  const log = { log: true }
  return [
    {
      title: 'Time against size (log-log)',
      svg: await lineChart(
        'Time against size (log-log)',
        time,
        'rows (search: entries)',
        'seconds',
        log,
      ),
    },
    {
      title: 'Peak memory against size (log-log)',
      svg: await lineChart('Peak memory (RSS) against size (log-log)', memory, 'rows', 'MB', log),
    },
  ]
}
