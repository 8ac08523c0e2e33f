import type { Entitlement } from '../../access/index.js'
import type { FuseTimings } from '../../trusted-centre/index.js'

// What `npm run bench:scale` measures and how it names and formats it: the components, each
// phase's result (as JSON between processes), failed steps, and the numbers' formatting.

export const say = (text: string) => process.stderr.write(`${text}\n`)
/** Feeds the fusions read, in ingest order (the KPI registers have a fixed size and stay out). */
export const FEEDS = [
  'sla_addresses',
  'dos_persons',
  'dos_businesses',
  'govtech_sensor_stations',
  'govtech_sensor_readings',
  'moh_chronic_registry',
]
/** Every pipeline over those feeds; the KPI register pipelines are of fixed size. */
export const FUSIONS = [
  'postal_geocode_reference',
  'person_address_pa',
  'business_by_planning_area',
  'sensor_hourly_by_planning_area',
]
export const EXTRACT_FORMATS = ['parquet', 'csv'] as const
/** Catalogue entries searched at a point: 1,000 / 10,000 / 100,000 for 1/100, 1/10, 1. */
export const entriesAt = (point: number) => Math.max(100, Math.round(100_000 * point))
/** A step that failed, named as the report names it (e.g. "fusion person_address_pa"). */
export interface StepFailure {
  step: string
  error: string
}

/** An error of one step of a phase, carrying the step's name. */
export class StepFailedError extends Error {
  readonly step: string
  constructor(step: string, cause: unknown) {
    super(`${step}: ${firstLine(cause)}`, { cause })
    this.name = new.target.name
    this.step = step
  }
}

/** The first line of an error's message (DuckDB's go on with advice). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
}

/** Keeps a phase's result so far, so a step that fails leaves the ones before it. */
export type SavePartial = (partial: object) => Promise<void>

export interface GenerateResult {
  seconds: number
  feeds: { feed: string; rows: number; bytes: number; seconds: number }[]
  peakRssMb: number
}
export interface IngestStep {
  feed: string
  rowsIn: number
  accepted: number
  quarantined: number
  seconds: number
  peakRssMb: number
}
export interface FuseStep {
  pipeline: string
  inputRows: number
  rowsOut: number
  publishedBytes: number
  seconds: number
  timings: FuseTimings
  peakRssMb: number
}
export interface TrustedCentreResult {
  ingests: IngestStep[]
  fusions: FuseStep[]
  /** Pipelines that failed (the others still ran). */
  failures: StepFailure[]
  peakRssMb: number
  /** Resident memory once PGlite and DuckDB are open, before any work. */
  startRssMb: number
  /** The largest published dataset, as a grant entitles its grantee to it (once all fused). */
  largest?: { pipeline: string; rows: number; entitlement: Entitlement }
}
export interface ExtractResult {
  dataset: string
  rows: number
  formats: { format: string; rows: number; bytes: number; seconds: number; peakRssMb: number }[]
  peakRssMb: number
}

export interface SearchResult {
  entries: number
  loadSeconds: number
  p50: number
  p95: number
  databaseMb: number
  queries: number
}
export interface PointResult {
  point: number
  generate?: GenerateResult
  tc?: TrustedCentreResult
  extract?: ExtractResult
  search?: SearchResult
  failures: StepFailure[]
}

/**
 * The exponent b of y ∝ x^b, least squares on log-log over every point; undefined below two.
 */
export function slope(points: [number, number | undefined][]): number | undefined {
  const usable = points.filter((p): p is [number, number] => p[0] > 0 && (p[1] ?? 0) > 0)
  if (usable.length < 2) return undefined
  const xs = usable.map(([x]) => Math.log(x))
  const ys = usable.map(([, y]) => Math.log(y))
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0)
  if (sxx === 0) return undefined
  return xs.reduce((a, x, i) => a + (x - mx) * ((ys[i] ?? 0) - my), 0) / sxx
}

/** 0.01 → "1/100", 1 → "1 (national)". */
export function fraction(point: number): string {
  return point >= 1 ? (point === 1 ? '1 (national)' : `${point}×`) : `1/${Math.round(1 / point)}`
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en')
}

export function num(n: number): string {
  if (Math.abs(n) >= 100) return count(n)
  if (Math.abs(n) >= 10) return n.toFixed(1)
  return n.toFixed(2)
}

export function mb(bytes: number): number {
  return Math.round((bytes / 1e6) * 10) / 10
}

export function rate(rows: number, seconds: number): number {
  return seconds > 0 ? rows / seconds : 0
}

export function ms(value: number): string {
  return `${(value / 1000).toFixed(1)} s`
}

export function round(value: number) {
  return Number(value.toFixed(2))
}
