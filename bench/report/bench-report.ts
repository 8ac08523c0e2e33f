import { goalCell, goalsMarkdown } from './bench-goals.js'
import type { BenchFigure, BenchGoal } from './bench-section.js'

/** One section as `npm run bench` ran it: its section (charts as files) or why it failed. */
export type SectionRun = {
  id: string
  /** The arguments the script ran with: figures of runs with other arguments are not compared. */
  args: string[]
  seconds: number
} & (
  | {
      status: 'ok'
      title: string
      markdown: string
      figures: BenchFigure[]
      /** Chart files, relative to the report. */
      charts: { title: string; file: string }[]
    }
  | {
      status: 'failed'
      /** e.g. "exit code 1", "script not found". */
      reason: string
      /** The end of what the script wrote to stderr. */
      log: string
    }
)

export interface MachineInfo {
  cpus: number
  cpuModel: string
  memoryBytes: number
  platform: string
  node: string
  commit: string
  hasUncommittedChanges: boolean
}

/** What `bench-results/results.json` holds: one run of `npm run bench`. */
export interface BenchRun {
  date: string
  machine: MachineInfo
  options: { quick: boolean; only: string[] | undefined }
  sections: SectionRun[]
  /** Sections left out by --only, or by --quick (a section without a quick form). */
  notRun: string[]
}

export interface FigureComparison {
  key: string
  label: string
  unit: string
  better: BenchFigure['better']
  current: number | undefined
  previous: number | undefined
  /** (current − previous) / |previous|, when both exist and the runs are comparable. */
  change: number | undefined
  verdict: 'better' | 'worse' | 'unchanged' | 'none'
  /** Why there is no change: the figure is new, gone, its section failed or ran otherwise. */
  note: 'new' | 'gone' | 'failed' | 'other options' | undefined
  /** The figure's goal, this run's or (when it has no value now) the previous run's. */
  goal: BenchGoal | undefined
}

/** Changes smaller than this are noise on a shared machine, and get neither ✓ nor ✗. */
export const CHANGE_THRESHOLD = 0.01

/**
 * Joins this run's figures with the previous run's on their keys, section by section. Sections
 * not run this time are left out; a section that failed keeps its previous figures, with no
 * current value.
 */
export function compareRuns(
  current: SectionRun[],
  previous: SectionRun[] | undefined,
): FigureComparison[] {
  return current.flatMap((section) => {
    const before = previous?.find((p) => p.id === section.id)
    const previousFigures = before?.status === 'ok' ? before.figures : []
    if (section.status === 'failed') {
      return previousFigures.map((f) => row(f, undefined, f.value, 'failed'))
    }
    const comparable = before !== undefined && sameArgs(before.args, section.args)
    const rows = section.figures.map((f) => {
      const old = previousFigures.find((p) => p.key === f.key)
      if (old === undefined) return row(f, f.value, undefined, before ? 'new' : undefined)
      return row(f, f.value, old.value, comparable ? undefined : 'other options')
    })
    const gone = previousFigures.filter((p) => !section.figures.some((f) => f.key === p.key))
    return [...rows, ...gone.map((f) => row(f, undefined, f.value, 'gone'))]
  })
}

function row(
  figure: BenchFigure,
  current: number | undefined,
  previous: number | undefined,
  note: FigureComparison['note'],
): FigureComparison {
  const { key, label, unit, better, goal } = figure
  const change =
    current === undefined || previous === undefined || note !== undefined
      ? undefined
      : previous === 0
        ? current === 0
          ? 0
          : undefined
        : (current - previous) / Math.abs(previous)
  const verdict = verdictOf(change)
  return { key, label, unit, better, current, previous, change, note, verdict, goal }

  function verdictOf(change: number | undefined): FigureComparison['verdict'] {
    if (change === undefined || better === 'none') return 'none'
    if (Math.abs(change) < CHANGE_THRESHOLD) return 'unchanged'
    return change < 0 === (better === 'lower') ? 'better' : 'worse'
  }
}

const cell = (text: string) => text.replaceAll('|', '\\|')

const sameArgs = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b)

/** A figure's value with its unit, e.g. "1,234 events/s", "0.52 s", "1.04×". */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined) return '—'
  const size = Math.abs(value)
  const digits = size >= 1000 ? 0 : size >= 100 ? 1 : size >= 1 ? 2 : 3
  const text = value.toLocaleString('en', { maximumFractionDigits: digits })
  if (unit === '') return text
  return unit === '×' || unit === '%' ? `${text}${unit}` : `${text} ${unit}`
}

/** The change column: "+12.3% ✗", "−4.0% ✓", "+0.2%", or why there is none. */
export function formatChange(c: FigureComparison): string {
  if (c.note === 'new') return 'new figure'
  if (c.note === 'gone') return 'gone this run'
  if (c.note === 'failed') return 'section failed'
  if (c.note === 'other options') return '— (run with other options)'
  if (c.change === undefined) return '—'
  const percent = `${c.change > 0 ? '+' : c.change < 0 ? '−' : ''}${Math.abs(c.change * 100).toFixed(1)}%`
  const mark = c.verdict === 'better' ? ' ✓' : c.verdict === 'worse' ? ' ✗' : ''
  return `${percent}${mark}`
}

/** "2 min 10 s", "35 s", "1 h 2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

/** The whole report as Markdown: the run, the sections' outcomes, the comparison, each section. */
export function reportMarkdown(run: BenchRun, previous: BenchRun | undefined): string {
  const { machine } = run
  const options = [
    run.options.quick ? '--quick' : undefined,
    run.options.only ? `--only ${run.options.only.join(',')}` : undefined,
  ].filter((o) => o !== undefined)
  const lines = [
    '# Benchmark report',
    '',
    `- **Date:** ${run.date}`,
    `- **Machine:** ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GB memory, ${machine.platform}, Node ${machine.node}`,
    `- **Commit:** \`${machine.commit}\`${machine.hasUncommittedChanges ? ' with uncommitted changes' : ''}`,
    `- **Options:** ${options.length > 0 ? options.map((o) => `\`${o}\``).join(' ') : 'none (full sizes)'}`,
    `- **Compared with:** ${
      previous
        ? `the run of ${previous.date} (commit \`${previous.machine.commit}\`${previous.options.quick ? ', `--quick`' : ''}), kept in \`previous.json\``
        : 'nothing: there is no previous run (`results.json`)'
    }`,
    '',
    '## Sections',
    '',
    '| section | result | time | arguments |',
    '| --- | --- | ---: | --- |',
    ...run.sections.map(
      (s) =>
        `| ${s.id} | ${s.status === 'ok' ? 'done' : `**failed** (${s.reason})`} | ${formatDuration(s.seconds)} | ${s.args.length > 0 ? `\`${s.args.join(' ')}\`` : 'defaults'} |`,
    ),
    ...run.notRun.map(
      (id) =>
        `| ${id} | not run (\`${run.options.only && !run.options.only.includes(id) ? '--only' : '--quick'}\`): no figures this time, nothing to compare | | |`,
    ),
    '',
    '## Goals',
    '',
    ...goalsMarkdown(compareRuns(run.sections, previous?.sections), formatValue, run.options.quick),
    '',
    '## Summary',
    '',
    '| figure | this run | previous run | change | goal |',
    '| --- | ---: | ---: | ---: | ---: |',
    // One table, with a row naming each section above its figures: labels need not repeat it.
    ...run.sections.flatMap((section) => {
      const rows = compareRuns([section], previous?.sections)
      const name = section.status === 'ok' ? section.title : `${section.id} (failed)`
      return rows.length === 0
        ? []
        : [
            `| **${cell(name)}** | | | | |`,
            ...rows.map(
              (c) =>
                `| ${cell(c.label)} | ${formatValue(c.current, c.unit)} | ${formatValue(c.previous, c.unit)} | ${formatChange(c)} | ${goalCell(c, (v) => formatValue(v, c.unit))} |`,
            ),
          ]
    }),
    '',
    `✓ marks a change of ${CHANGE_THRESHOLD * 100}% or more in the better direction, ✗ in the worse one. Figures of a section run with other arguments than last time are not compared.`,
  ]
  for (const section of run.sections) {
    lines.push('')
    if (section.status === 'failed') {
      lines.push(
        `## ${section.id}: failed`,
        '',
        `${section.reason} after ${formatDuration(section.seconds)}.`,
      )
      if (section.log) lines.push('', 'The end of its output:', '', '```text', section.log, '```')
      continue
    }
    lines.push(`## ${section.title}`, '', section.markdown)
    for (const chart of section.charts) lines.push('', `![${chart.title}](${chart.file})`)
  }
  return `${lines.join('\n')}\n`
}
