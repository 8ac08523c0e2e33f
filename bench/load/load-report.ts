import { barChart } from '../report/bar-chart.js'
import type { BenchFigure, BenchGoal, BenchSection } from '../report/bench-section.js'
import { lineChart } from '../report/line-chart.js'
import { nearestRankPercentile } from '../report/percentile.js'
import { goalAt, goalsLine, kindFigures, whatGaveWay } from './load-goals.js'
import type { DatabaseSample, LevelResult } from './load-level.js'
import { LOAD_KINDS, LOAD_MIX } from './load-mix.js'
import { type CallSummary, summariseCalls } from './load-outcome.js'
import { busyCores, type ReportedLevel, whatBreaksFirst } from './load-verdict.js'

/** How the levels were run, for the report's first paragraph. */
export interface LoadSetup {
  scale: number
  thinkMs: number
  timeoutMs: number
  replicaEnv: Record<string, string>
  grantHolders: number
  people: number
}

// The API calls behind each step, as the portal makes them (portal/src/features).
const STEP_CALLS: Record<string, string> = {
  search:
    '`GET /api/search` (words, facets, sort, page) + `GET /api/v1/search` when there are words',
  'dataset-page':
    '`GET /api/datasets/:slug`, `GET /api/query/views`, `GET /api/v1/lineage` (depth 2) at once, then the sample preview `GET /api/datasets/:slug/versions/:v/preview` (rows kept beside the sample: no query)',
  query:
    '`POST /api/query`: `SELECT *… LIMIT 100`, `count(*)` or a `GROUP BY` over a sample, open or granted view',
  'sample-download': '`GET /api/datasets/:slug/versions/:v/sample` as CSV or Parquet',
  inbox: '`GET /api/notifications`',
  'my-requests': '`GET /api/requests`',
  request:
    '`POST /api/requests` for a dataset the person has not asked for (else `POST …/withdraw` of their oldest)',
}

const ms = (x: number) => `${Math.round(x).toLocaleString('en')}`
const mb = (x: number) => `${Math.round(x).toLocaleString('en')}`
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
const rule = (n: number) => row(Array.from({ length: n }, () => '---'))
const slug = (name: string) => name.toLowerCase().replaceAll(' ', '-')

/** The load bench's section of the report: tables per level, a verdict, figures and charts. */
export async function loadSection(
  levels: readonly ReportedLevel[],
  setup: LoadSetup,
): Promise<BenchSection> {
  const summaries = levels.map((l) => summariseCalls(l.outcomes, l.seconds))
  const cores = levels[0]?.cores ?? 0
  const parts = [
    intro(levels, setup, cores),
    mixTable(),
    overviewTable(levels, summaries),
    ...levels.map((l, i) => levelTables(l, summaries[i] as CallSummary)),
    `### What breaks first\n\n${whatBreaksFirst(levels, summaries)}\n\n${levels
      .map((l, i) => whatGaveWay(l, summaries[i] as CallSummary))
      .join(' ')}`,
  ]
  return {
    id: 'load',
    title: `Load: ${levels.map((l) => l.users).join(' and ')} concurrent users on two replicas`,
    markdown: parts.join('\n\n'),
    figures: figures(levels, summaries),
    charts: await charts(levels, summaries),
  }
}

function intro(levels: readonly ReportedLevel[], setup: LoadSetup, cores: number): string {
  const env = Object.entries(setup.replicaEnv)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(', ')
  return [
    `Two replicas of \`server/main.ts start\` (separate processes) on one PostgreSQL server and one data directory (fixture scale ${setup.scale}), all on 127.0.0.1; ${env ? `replica settings ${env}, ` : ''}every other setting at its default (e.g. \`QUERY_MAX_RUNNING\` 4 and \`DATABASE_POOL_SIZE\` 10 per replica). PostgreSQL is the throwaway test server (\`fsync=off\`, \`synchronous_commit=off\`), which flatters writes.`,
    `Each virtual user is one signed-in synthetic officer (one person each, of the seven fixture agencies in turn, as the identity provider would create them; ${setup.grantHolders} of the ${setup.people} people hold a grant on three columns of \`person-address-pa\`, asked for and approved through the workflow before the run). Users are **closed-loop**: a user takes a step of the mix, waits for every answer, thinks for 0.5–1.5× ${setup.thinkMs} ms (uniform), then takes the next. A person reads a page for tens of seconds, so each virtual user is many times busier than a real one: the levels are a stress test, not a head count. Calls go to the two replicas in turn, as a round-robin load balancer would send them. Each level runs ${levels.map((l) => l.seconds).join('/')} s and then stops issuing; a call unanswered after ${setup.timeoutMs / 1000} s is abandoned.`,
    `An **error** is any answer but the one expected (200, or 201 for a submission), including the 429 and 503 refusals the API sends on purpose when it is overloaded, plus timeouts and broken connections. Latency percentiles include failed calls. The load generator, both replicas and PostgreSQL share this machine's ${cores} CPU cores, so the generator's own CPU is taken from the servers.`,
  ].join('\n\n')
}

function mixTable(): string {
  const total = LOAD_MIX.reduce((sum, m) => sum + m.weight, 0)
  return [
    '### The mix',
    '',
    row(['step', 'share', 'API calls']),
    rule(3),
    ...LOAD_MIX.map((m) =>
      row([m.step, `${Math.round((m.weight / total) * 100)} %`, STEP_CALLS[m.step] ?? '']),
    ),
  ].join('\n')
}

function overviewTable(levels: readonly ReportedLevel[], summaries: CallSummary[]): string {
  return [
    row([
      'users',
      'requests',
      'throughput (req/s)',
      'p50 (ms)',
      'p95 (ms)',
      'p99 (ms)',
      'errors',
      'CPU of the bench’s processes (cores)',
      'machine CPU busy',
    ]),
    rule(9),
    ...levels.map((l, i) => {
      const s = summaries[i] as CallSummary
      return row([
        l.users,
        s.all.count.toLocaleString('en'),
        `**${s.throughput.toFixed(1)}**`,
        ms(s.all.p50),
        `**${ms(s.all.p95)}**`,
        ms(s.all.p99),
        `**${s.all.errors}**`,
        busyCores(l).toFixed(2),
        `${Math.round(l.machineBusy * 100)} %`,
      ])
    }),
  ].join('\n')
}

function levelTables(level: ReportedLevel, s: CallSummary): string {
  const errorRate = s.all.count > 0 ? (s.all.errors / s.all.count) * 100 : 0
  const lines = [
    `### ${level.users} users, ${level.seconds} s`,
    '',
    row(['throughput', 'steps', 'p50', 'p95', 'p99', 'errors']),
    rule(6),
    row([
      `${s.throughput.toFixed(1)} req/s`,
      level.steps.toLocaleString('en'),
      `${ms(s.all.p50)} ms`,
      `${ms(s.all.p95)} ms`,
      `${ms(s.all.p99)} ms`,
      `${s.all.errors} of ${s.all.count.toLocaleString('en')} (${errorRate.toFixed(2)} %)`,
    ]),
    '',
    row(['process', 'peak RSS (MB)', 'end RSS (MB)', 'CPU (cores)']),
    rule(4),
    ...level.memory.map((m) =>
      row([
        m.name === 'PostgreSQL' ? 'PostgreSQL (all processes, PSS)' : m.name,
        mb(m.peakMb),
        mb(m.endMb),
        m.cores.toFixed(2),
      ]),
    ),
    '',
    row(['kind', 'count', 'p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'errors']),
    rule(6),
    ...[...s.perKind].map(([kind, k]) =>
      row([kind, k.count.toLocaleString('en'), ms(k.p50), ms(k.p95), ms(k.p99), k.errors]),
    ),
  ]
  const db = databaseLine(level)
  if (db) lines.push('', db)
  const goals = goalsLine(level, s)
  if (goals) lines.push('', goals)
  const run = [...level.queryRunMs].sort((a, b) => a - b)
  const calls = s.perKind.get('query')
  if (run.length > 0)
    lines.push(
      '',
      `Inside the query service, ${run.length} queries ran (query history, from a ready sandbox to the answer) in p50 ${ms(nearestRankPercentile(run, 0.5))} ms, p95 ${ms(nearestRankPercentile(run, 0.95))} ms, p99 ${ms(nearestRankPercentile(run, 0.99))} ms; the rest of a query call's latency (p50 ${ms(calls?.p50 ?? 0)} ms) is spent around the query: a pool slot when all are taken, the caller's entitlements, a fresh DuckDB sandbox with its views, the history and audit entries, and CPU when it is busy.`,
    )
  if (s.errorGroups.length > 0)
    lines.push(
      '',
      row(['failed kind', 'status', 'count', 'first message']),
      rule(4),
      ...s.errorGroups.map((g) =>
        row([g.kind, g.status, g.count, g.message.replaceAll('|', '/').slice(0, 160)]),
      ),
    )
  return lines.join('\n')
}

function figures(levels: readonly ReportedLevel[], summaries: CallSummary[]): BenchFigure[] {
  return levels.flatMap((l, i) => {
    const s = summaries[i] as CallSummary
    const at = `load.${l.users}`
    const label = `${l.users} users:`
    return [
      {
        key: `${at}.throughput`,
        label: `${label} throughput`,
        value: round(s.throughput),
        unit: 'req/s',
        better: 'higher' as const,
      },
      {
        key: `${at}.p50`,
        label: `${label} p50 latency`,
        value: round(s.all.p50),
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        key: `${at}.p95`,
        label: `${label} p95 latency`,
        value: round(s.all.p95),
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        key: `${at}.p99`,
        label: `${label} p99 latency`,
        value: round(s.all.p99),
        unit: 'ms',
        better: 'lower' as const,
      },
      {
        key: `${at}.errors`,
        label: `${label} errors`,
        value: s.all.errors,
        unit: 'requests',
        better: 'lower' as const,
        ...withGoal(goalAt(l.users, { at: 'most', value: 0 })),
      },
      ...kindFigures(l.users, s),
      {
        key: `${at}.cpu-busy`,
        label: `${label} machine CPU busy`,
        value: Math.round(l.machineBusy * 100),
        unit: '%',
        better: 'none' as const,
      },
      ...l.memory.map((m) => ({
        key: `${at}.peak-rss.${slug(m.name)}`,
        label: `${label} peak memory of ${m.name}`,
        value: Math.round(m.peakMb),
        unit: 'MB',
        better: 'lower' as const,
      })),
    ]
  })
}

async function charts(
  levels: readonly ReportedLevel[],
  summaries: CallSummary[],
): Promise<BenchSection['charts']> {
  const top = levels.at(-1)
  const result: BenchSection['charts'] = [
    {
      title: 'Requests answered per second',
      svg: await lineChart(
        'Requests answered per second',
        levels.map((l, i) => ({
          name: `${l.users} users`,
          points: (summaries[i]?.perSecond ?? []).map((n, s): [number, number] => [s + 1, n]),
        })),
        'second of the level',
        'requests per second',
      ),
    },
    {
      title: 'Latency percentiles per user level',
      svg: await lineChart(
        'Latency percentiles per user level (ms)',
        (['p50', 'p95', 'p99'] as const).map((p) => ({
          name: p,
          points: levels.map((l, i): [number, number] => [l.users, summaries[i]?.all[p] ?? 0]),
        })),
        'concurrent users',
        'ms',
      ),
    },
    {
      title: 'p95 latency by kind',
      svg: await barChart(
        'p95 latency by kind of request',
        LOAD_KINDS.flatMap((kind) =>
          levels.flatMap((l, i): [string, number][] => {
            const k = summaries[i]?.perKind.get(kind)
            return k ? [[`${kind}, ${l.users} users`, Math.round(k.p95)]] : []
          }),
        ),
        'ms',
      ),
    },
  ]
  if (top)
    result.push({
      title: `Memory at ${top.users} users`,
      svg: await lineChart(
        `Memory of each process at ${top.users} users (MB)`,
        top.memory.map((m) => ({ name: m.name, points: m.samples })),
        'second of the level',
        'MB',
      ),
    })
  return result
}

/** What the database's connections did over a level, sampled every second. */
function databaseLine(level: LevelResult): string | undefined {
  const samples = level.database
  if (samples.length === 0) return undefined
  const peak = (pick: (d: DatabaseSample) => number) => Math.max(...samples.map(pick))
  const mean = (pick: (d: DatabaseSample) => number) =>
    samples.reduce((sum, d) => sum + pick(d), 0) / samples.length
  return `PostgreSQL connections to the portal's database, sampled every second (replicas' pools of \`DATABASE_POOL_SIZE\` each, plus the bench's): peak ${peak((d) => d.connections)}, of them active at once peak ${peak((d) => d.active)} (mean ${mean((d) => d.active).toFixed(1)}), waiting for the audit chain's lock peak ${peak((d) => d.waitingForAuditLock)} (mean ${mean((d) => d.waitingForAuditLock).toFixed(1)}).`
}

const withGoal = (goal: BenchGoal | undefined) => (goal ? { goal } : {})

function round(x: number): number {
  return Math.round(x * 10) / 10
}
