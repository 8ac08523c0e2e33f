import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** A figure of a benchmark, compared with the same figure of the previous run. */
export interface BenchFigure {
  /** Stable across runs, e.g. "load.50.p95": the key the comparison joins on. */
  key: string
  /** What a reader sees, e.g. "50 users: p95 latency". */
  label: string
  value: number
  unit: string
  /** Which way is an improvement; "none" for sizes that only describe the run. */
  better: 'lower' | 'higher' | 'none'
  /** What the figure should reach, when the product has a goal for it (see BenchGoal). */
  goal?: BenchGoal
}

/**
 * A target for one figure, e.g. search p95 at most 30 ms: `{ at: 'most', value: 30 }`, in the
 * figure's unit. The report shows it beside the figure and counts the goals met.
 */
export interface BenchGoal {
  at: 'most' | 'least'
  value: number
  /** Where the goal comes from, e.g. "issue 25": shown beside it. */
  source: string
}

/** One part of `npm run bench`'s report, written by one bench script. */
export interface BenchSection {
  /** Stable id, e.g. "load": also the chart files' prefix. */
  id: string
  /** The section's heading. */
  title: string
  /** The section's body in Markdown (tables and sentences, no heading). */
  markdown: string
  figures: BenchFigure[]
  /** Standalone SVG documents. */
  charts: { title: string; svg: string }[]
}

/** Where `npm run bench` asks a bench script to write its section as JSON. */
export const SECTION_FILE_ENV = 'BENCH_SECTION_FILE'

/**
 * Hands a finished section to `npm run bench` (as JSON, when it runs the script), or prints it
 * and writes its charts beside the working directory when the script is run alone.
 * @example await emitSection({ id: 'load', title: 'Load', markdown, figures, charts })
 */
export async function emitSection(section: BenchSection): Promise<void> {
  const file = process.env[SECTION_FILE_ENV]
  if (file) {
    await writeFile(file, JSON.stringify(section))
    return
  }
  process.stdout.write(`\n## ${section.title}\n\n${section.markdown}\n\n`)
  // A benchmark run alone keeps its charts beside the full report's, never at the repository's root.
  const dir = join(process.cwd(), 'bench-results', 'alone')
  await mkdir(dir, { recursive: true })
  for (const [i, chart] of section.charts.entries()) {
    const path = join(dir, `${section.id}${i === 0 ? '' : `-${i + 1}`}.svg`)
    await writeFile(path, chart.svg)
    process.stdout.write(`Chart: ${path}\n`)
  }
}
