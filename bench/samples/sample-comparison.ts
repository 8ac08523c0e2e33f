import { join } from 'node:path'
import type { DatasetDetail } from '../../catalog/index.js'
import {
  type DuckDBConnection,
  type DuckDBInstance,
  quoteIdent,
  quoteLiteral,
  readRows,
} from '../../core/index.js'
import {
  columnStats,
  planSample,
  type SampleColumn,
  type SampleReport,
} from '../../disclosure/index.js'
import { bindHmacKey } from '../../keys/index.js'
import type { Pipeline } from '../../trusted-centre/index.js'
import { median } from '../report/percentile.js'
import {
  LEGACY_PERSON_LADDERS,
  LEGACY_STEP_NAMES,
  type LegacySamplePolicy,
  legacyMakeSample,
} from './legacy-generaliser.js'
import {
  type GeographyShares,
  geographyShares,
  informationLoss,
  PLANNING_AREA,
  REGION,
  readSampleOutput,
  smallestClass,
} from './sample-metrics.js'

// Both sample generalisers over the same drawn rows of one version, timed in turn and measured
// alike (sample-metrics.ts).

/** What one generaliser made of a dataset's drawn rows. */
export interface GeneraliserOutcome {
  /** Why it published nothing, if it did not (then every drawn row counts as suppressed). */
  refused: string | undefined
  /** Normalised certainty penalty, 0 (nothing lost) to 1 (everything). */
  loss: number
  suppressedRows: number
  /** Smallest class of the rows it kept, over the new generaliser's k-check columns. */
  smallestClass: number
  /** Shares of the drawn rows that still show their planning area, or it or their region. */
  geography: GeographyShares | undefined
  /** What it generalised, e.g. "geography: region, age_band: hidden". */
  levels: string
  /** Median time of a whole sample (draw, generalise, write), in ms. */
  ms: number
}

export interface SampleComparison {
  label: string
  /** Rows of the version the sample is drawn from. */
  versionRows: number
  drawnRows: number
  old: GeneraliserOutcome
  new: GeneraliserOutcome
  /** Whether the new generaliser here chose what the product's own sample of the version did. */
  matchesPublished: boolean | undefined
  /** The new sample's loss as its own report gives it (over its generalised columns). */
  reportedLoss: number | undefined
}

export interface ComparisonInput {
  label: string
  duckdb: DuckDBInstance
  /** The published version's Parquet file, and its rows. */
  source: string
  versionRows: number
  columns: readonly SampleColumn[]
  pipeline: Pipeline
  k: number
  repeat: number
  /** Where the samples are written. */
  scratch: string
  /** The report of the sample the product published for this version, to check against. */
  published: SampleReport | undefined
}

// As trusted-centre/make-sample.ts sets them; a drift shows as a mismatch with `published`.
const MAX_SUPPRESSED_SHARE = 0.05
const SAMPLE_L = 2
const SAMPLE_KEY = Buffer.alloc(32, 9)

/** The catalogue's columns as the sample sees them (as trusted-centre/fuse.ts reads them). */
export function sampleColumnsOf(dataset: DatasetDetail): SampleColumn[] {
  return dataset.columns.map((c) => ({
    name: c.name,
    type: c.type,
    personalData: c.personalData,
    glossary: (dataset.glossary[c.name] ?? []).map((t) => t.term),
    ...(c.personalDataReason
      ? { decision: { kind: c.personalData, reason: c.personalDataReason } }
      : {}),
  }))
}

/** Runs both generalisers `repeat` times each (taking turns), and measures their first samples. */
export async function compareSamples(input: ComparisonInput): Promise<SampleComparison> {
  const size = input.pipeline.sample?.size ?? 1000
  // The old policy: the persons pipeline's ladders at 0a5dd9a, none for any other pipeline.
  const legacyPolicy: LegacySamplePolicy =
    input.pipeline.dataset.slug === 'person-address-pa'
      ? { size, generalise: LEGACY_PERSON_LADDERS }
      : { size }
  const oldTimes: number[] = []
  const newTimes: number[] = []
  let oldRun: Awaited<ReturnType<typeof runOld>> | undefined
  let newRun: Awaited<ReturnType<typeof runNew>> | undefined
  for (let round = 0; round < input.repeat; round++) {
    const runs = [
      async () => {
        const run = await timed(input.duckdb, (conn) => runOld(conn, input, legacyPolicy, round))
        oldTimes.push(run.ms)
        if (oldRun) run.value.conn.closeSync()
        else oldRun = run.value
      },
      async () => {
        const run = await timed(input.duckdb, (conn) => runNew(conn, input, size, round))
        newTimes.push(run.ms)
        if (newRun) run.value.conn.closeSync()
        else newRun = run.value
      },
    ]
    // Turn about, so neither always meets a warm file cache first.
    for (const run of round % 2 === 0 ? runs : runs.reverse()) await run()
  }
  if (!oldRun || !newRun) throw new Error('compareSamples needs repeat ≥ 1')
  const checked = newRun.treatments
  const lossColumns = [...checked.entries()]
    .filter(([, t]) => t !== 'masked' && t !== 'measure')
    .map(([name]) => name)
  const kColumns = [...checked.entries()]
    .filter(([, t]) => t === 'quasi-identifier' || t === 'sensitive')
    .map(([name]) => name)
  const present = new Set(input.columns.map((c) => c.name))
  const read = [...new Set([...lossColumns, ...PLANNING_AREA, ...REGION])].filter((c) =>
    present.has(c),
  )
  const drawnRows = newRun.drawnRows
  const measure = async (
    run: { select: string[] | undefined; suppressed: number[]; conn: DuckDBConnection },
    levels: string,
    refused: string | undefined,
    ms: number,
  ): Promise<GeneraliserOutcome> => {
    if (!run.select) {
      return {
        refused,
        loss: 1,
        suppressedRows: drawnRows,
        smallestClass: 0,
        geography: read.some((c) => PLANNING_AREA.includes(c))
          ? {
              planningArea: 0,
              planningAreaOrRegion: 0,
              hasRegionColumn: read.some((c) => REGION.includes(c)),
            }
          : undefined,
        levels,
        ms,
      }
    }
    const output = await readSampleOutput(run.conn, run.select, read, run.suppressed)
    return {
      refused,
      loss: informationLoss(output, lossColumns),
      suppressedRows: run.suppressed.length,
      smallestClass: smallestClass(output, kColumns),
      geography: geographyShares(output),
      levels,
      ms,
    }
  }
  try {
    const report = newRun.report
    const published = input.published
    return {
      label: input.label,
      versionRows: input.versionRows,
      drawnRows,
      old: await measure(oldRun, oldRun.levels, oldRun.refused, median(oldTimes)),
      new: await measure(newRun, report ? newLevels(report) : '', newRun.refused, median(newTimes)),
      matchesPublished:
        published && report
          ? published.informationLoss === report.informationLoss &&
            published.suppressedRows === report.suppressedRows &&
            newLevels(published) === newLevels(report)
          : undefined,
      reportedLoss: report?.informationLoss,
    }
  } finally {
    oldRun.conn.closeSync()
    newRun.conn.closeSync()
  }
}

/** Times `work` on a fresh connection, which it hands back with the work's value. */
async function timed<T extends { conn: DuckDBConnection }>(
  duckdb: DuckDBInstance,
  work: (conn: DuckDBConnection) => Promise<T>,
): Promise<{ ms: number; value: T }> {
  const conn = await duckdb.connect()
  const started = performance.now()
  const value = await work(conn)
  return { ms: performance.now() - started, value }
}

async function runOld(
  conn: DuckDBConnection,
  input: ComparisonInput,
  policy: LegacySamplePolicy,
  round: number,
) {
  const outcome = await legacyMakeSample(conn, {
    source: input.source,
    target: join(input.scratch, `old-${round}.parquet`),
    columns: input.columns,
    key: input.pipeline.key,
    policy,
    k: input.k,
    sampleKey: SAMPLE_KEY,
  })
  if (outcome.status === 'refused')
    return { conn, select: undefined, suppressed: [], refused: outcome.reason, levels: '' }
  const levels = Object.entries(outcome.levels)
    .filter(([, level]) => level > 0)
    .map(([column, level]) => {
      const steps = LEGACY_STEP_NAMES[column] ?? []
      const ladder = policy.generalise?.[column] ?? []
      return `${column}: ${level > ladder.length ? 'hidden' : (steps[level - 1] ?? `step ${level}`)}`
    })
    .join(', ')
  return {
    conn,
    select: outcome.select,
    suppressed: outcome.suppressed,
    refused: undefined,
    levels,
  }
}

/**
 * The new generaliser as trusted-centre/make-sample.ts `makeSample` runs it, step for step:
 * the draw, the column stats over the whole version, `planSample`, and the written sample.
 */
async function runNew(conn: DuckDBConnection, input: ComparisonInput, size: number, round: number) {
  const source = `read_parquet(${quoteLiteral(input.source)})`
  const order = input.pipeline.key.map(quoteIdent).join(", '|', ")
  await conn.run(`CREATE OR REPLACE TEMP TABLE sample_base AS
    SELECT *, row_number() OVER (ORDER BY md5(concat(${order}))) - 1 AS __row
    FROM ${source} ORDER BY md5(concat(${order})) LIMIT ${size}`)
  const [{ n } = { n: '0' }] = await readRows<{ n: string }>(
    conn,
    'SELECT count(*) AS n FROM sample_base',
  )
  const refusedRun = (refused: string) => ({
    conn,
    select: undefined,
    suppressed: [],
    refused,
    report: undefined,
    treatments: new Map<string, string>(),
    drawnRows: Number(n),
  })
  if (Number(n) < input.k) return refusedRun(`${n} rows, fewer than k = ${input.k}`)
  await bindHmacKey(conn, 'sample_key', SAMPLE_KEY)
  const stats = await columnStats(
    conn,
    source,
    input.columns.map((c) => c.name),
    input.k,
  )
  const policy = input.pipeline.sample
  const plan = await planSample(conn, 'sample_base', {
    columns: input.columns,
    stats,
    k: input.k,
    l: SAMPLE_L,
    maxSuppressedShare: MAX_SUPPRESSED_SHARE,
    ...(policy?.groups ? { groups: policy.groups } : {}),
    ...(policy?.keep ? { keep: policy.keep } : {}),
    maskKey: 'sample_key',
  })
  if (plan.status === 'refused')
    return {
      ...refusedRun(plan.reason),
      treatments: new Map(plan.assessments.map((a) => [a.name, a.treatment])),
    }
  const dropped =
    plan.suppressed.length > 0 ? `WHERE __row NOT IN (${plan.suppressed.join(', ')})` : ''
  await conn.run(
    `COPY (SELECT ${plan.select.join(', ')} FROM sample_base ${dropped} ORDER BY __row)
     TO ${quoteLiteral(join(input.scratch, `new-${round}.parquet`))}
     (FORMAT parquet, COMPRESSION zstd, KV_METADATA { sample_report: ${quoteLiteral(JSON.stringify(plan.report))} })`,
  )
  return {
    conn,
    select: plan.select,
    suppressed: plan.suppressed,
    refused: undefined,
    report: plan.report,
    treatments: new Map(plan.report.columns.map((c) => [c.name, c.treatment as string])),
    drawnRows: plan.report.drawnRows,
  }
}

const newLevels = (report: SampleReport) =>
  report.hierarchies
    .filter((h) => h.level !== h.levels[0])
    .map((h) => `${h.name}: ${h.level}`)
    .join(', ')
