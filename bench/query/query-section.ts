import { barChart } from '../report/bar-chart.js'
import type { BenchFigure, BenchSection } from '../report/bench-section.js'
import { percentile } from '../report/percentile.js'
import type { ConcurrentLoad } from './concurrent-queries.js'
import type { ExtractTimings } from './extract-timings.js'
import type { PreviewLatency } from './preview-latency.js'

/** Everything `npm run bench:query` measured, and the sizes it ran at. */
export interface QueryMeasurements {
  rows: number
  clients: number
  seconds: number
  extracts: ExtractTimings
  load: ConcurrentLoad
  /** The same clients' queries in bare DuckDB, as many at a time as the service's workers. */
  bareLoad: ConcurrentLoad
  /** One client alone, through the service and in bare DuckDB. */
  single: ConcurrentLoad
  bareSingle: ConcurrentLoad
  preview: PreviewLatency
}

/** What the service adds around its queries: its latency at p50 over bare DuckDB's. */
const overhead = (service: ConcurrentLoad, bare: ConcurrentLoad) =>
  percentile(service.latencies, 0.5) / Math.max(0.001, percentile(bare.latencies, 0.5))

/**
 * The section of `npm run bench:query`: extracts against DuckDB's COPY, concurrent sample
 * queries and the sample preview, as tables, figures and a chart of the extracts.
 */
export async function querySection(m: QueryMeasurements): Promise<BenchSection> {
  const chartTitle = `Full extract of ${m.rows.toLocaleString('en')} rows (seconds)`
  const { results, arrow } = m.extracts
  return {
    id: 'query',
    title: `Query service: extracts of ${m.rows.toLocaleString('en')} rows through HTTP`,
    markdown: markdownOf(m),
    figures: figuresOf(m),
    charts: [
      {
        title: chartTitle,
        svg: await barChart(chartTitle, [
          ...results.flatMap((r): [string, number][] => [
            [`COPY ${r.format}`, r.copy / 1000],
            [`API ${r.format}`, r.api / 1000],
          ]),
          ['API Arrow IPC', arrow / 1000],
        ]),
      },
    ],
  }
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`

function markdownOf(m: QueryMeasurements) {
  const { rows, clients, seconds, extracts, load, single, bareSingle, bareLoad, preview } = m
  const { firstExtract, firstCopy, results, arrow, arrowBytes, arrowRss } = extracts
  const table = [
    row([
      'measure',
      'through the API (median)',
      "DuckDB's COPY, same view (median)",
      'ratio',
      'size',
      'peak RSS during the API runs',
    ]),
    row(['---', '---', '---', '---', '---', '---']),
    ...results.map((r) =>
      row([
        `full extract, ${r.format}`,
        `${(r.api / 1000).toFixed(2)} s`,
        `${(r.copy / 1000).toFixed(2)} s`,
        `**${(r.api / r.copy).toFixed(2)}×** (target ≤ 1.3×)`,
        `${(r.bytes / 1e6).toFixed(0)} MB`,
        `${r.rss} MB`,
      ]),
    ),
    row([
      'first extract of the grant, Parquet (makes its projection)',
      `${(firstExtract / 1000).toFixed(2)} s`,
      `${(firstCopy / 1000).toFixed(2)} s`,
      `**${(firstExtract / firstCopy).toFixed(2)}×**`,
      '',
      '',
    ]),
    row([
      'full extract, Arrow IPC',
      `${(arrow / 1000).toFixed(2)} s`,
      '(no COPY to Arrow)',
      `**${Math.round(rows / (arrow / 1000)).toLocaleString('en')} rows/s** (target ≥ 1,000,000)`,
      `${(arrowBytes / 1e6).toFixed(0)} MB`,
      `${arrowRss} MB`,
    ]),
  ].join('\n')
  const loadRow = (who: string, l: ConcurrentLoad, clientCount: number, secs: number) =>
    row([
      who,
      String(clientCount),
      l.latencies.length.toLocaleString('en'),
      `${(l.latencies.length / secs).toFixed(1)} queries/s`,
      `${percentile(l.latencies, 0.5).toFixed(1)} ms`,
      `${percentile(l.latencies, 0.99).toFixed(0)} ms`,
      String(l.errors),
    ])
  const singleSeconds = Math.min(10, seconds)
  const loadTable = [
    row(['through', 'clients', 'queries', 'throughput', 'p50', 'p99', 'errors']),
    row(['---', '---', '---', '---', '---', '---', '---']),
    loadRow('the service (HTTP)', single, 1, singleSeconds),
    loadRow('bare DuckDB, same queries', bareSingle, 1, singleSeconds),
    loadRow('the service (HTTP)', load, clients, seconds),
    loadRow('bare DuckDB, same queries', bareLoad, clients, seconds),
  ].join('\n')
  const ratios = `Around the query, the service adds **${overhead(single, bareSingle).toFixed(1)}×** at p50 for one client and **${overhead(load, bareLoad).toFixed(1)}×** for ${clients} (its p50 over bare DuckDB's, running the same queries over the same sample file in this process, as many at a time as the service has workers, each answer made JSON): HTTP, the pool, the worker's gate and sandbox, the answer's way back, and the history.`
  const previews = [
    row(['previews', 'p50', 'p99', 'the same SELECT in bare DuckDB (p50)']),
    row(['---', '---', '---', '---']),
    row([
      String(preview.requests),
      `**${preview.p50.toFixed(1)} ms** (target ≤ 50 ms)`,
      `${preview.p99.toFixed(1)} ms`,
      `${preview.bareP50.toFixed(2)} ms`,
    ]),
  ].join('\n')
  return `${table}\n\n### Sample queries: one client, then ${clients} at once (${seconds} s)\n\n${loadTable}\n\n${ratios}\n\n### A dataset page's sample preview through HTTP, one at a time\n\nThe platform as \`npm start\` runs it (embedded database, fixture data): sign-in, entitlements, the pool, the worker's gate and query, history and audit.\n\n${previews}`
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits))

function figuresOf(m: QueryMeasurements) {
  const { rows, clients, seconds, extracts, load, preview } = m
  const { firstExtract, firstCopy, results, arrow, arrowRss } = extracts
  const { latencies, errors } = load
  const figures: BenchFigure[] = [
    ...results.flatMap((r): BenchFigure[] => [
      {
        key: `query.${r.format}.seconds`,
        label: `query: full extract as ${r.format} through the API (median)`,
        value: round(r.api / 1000),
        unit: 's',
        better: 'lower',
      },
      {
        key: `query.${r.format}.ratio`,
        label: `query: ${r.format} extract ÷ DuckDB's COPY`,
        value: round(r.api / r.copy),
        unit: '×',
        better: 'lower',
      },
      {
        key: `query.${r.format}.peak_rss_mb`,
        label: `query: peak memory during ${r.format} extracts (RSS)`,
        value: r.rss,
        unit: 'MB',
        better: 'lower',
      },
    ]),
    {
      key: 'query.first_extract.ratio',
      label: "query: a grant's first Parquet extract (makes its projection) ÷ DuckDB's COPY",
      value: round(firstExtract / firstCopy),
      unit: '×',
      better: 'lower',
    },
    {
      key: 'query.preview.p50',
      label: 'query: sample preview through HTTP, p50',
      value: round(preview.p50, 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.preview.p99',
      label: 'query: sample preview through HTTP, p99',
      value: round(preview.p99, 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.arrow.rows_per_second',
      label: 'query: Arrow IPC extract rate',
      value: Math.round(rows / (arrow / 1000)),
      unit: 'rows/s',
      better: 'higher',
    },
    {
      key: 'query.arrow.peak_rss_mb',
      label: 'query: peak memory during Arrow IPC extracts (RSS)',
      value: arrowRss,
      unit: 'MB',
      better: 'lower',
    },
    {
      key: 'query.concurrent.queries_per_second',
      label: `query: ${clients} concurrent clients, throughput`,
      value: round(latencies.length / seconds, 1),
      unit: 'queries/s',
      better: 'higher',
    },
    {
      key: 'query.concurrent.p99',
      label: `query: ${clients} concurrent clients, p99 latency`,
      value: Math.round(percentile(latencies, 0.99)),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.concurrent.p50',
      label: `query: ${clients} concurrent clients, p50 latency`,
      value: round(percentile(latencies, 0.5), 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.concurrent.bare_p50',
      label: `query: ${clients} concurrent clients, the same queries in bare DuckDB, p50`,
      value: round(percentile(m.bareLoad.latencies, 0.5), 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.concurrent.overhead_ratio',
      label: `query: ${clients} concurrent clients, p50 ÷ bare DuckDB's (around the query)`,
      value: round(overhead(load, m.bareLoad), 2),
      unit: '×',
      better: 'lower',
    },
    {
      key: 'query.single.p50',
      label: 'query: one client, sample query p50',
      value: round(percentile(m.single.latencies, 0.5), 1),
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'query.single.overhead_ratio',
      label: "query: one client, p50 ÷ bare DuckDB's (around the query)",
      value: round(overhead(m.single, m.bareSingle), 2),
      unit: '×',
      better: 'lower',
    },
    {
      key: 'query.concurrent.errors',
      label: `query: ${clients} concurrent clients, errors`,
      value: errors,
      unit: '',
      better: 'lower',
    },
  ]
  return figures
}
