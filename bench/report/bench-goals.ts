import type { BenchGoal } from './bench-section.js'

/** What the goal cells need of a compared figure (the report's FigureComparison has it). */
export interface GoalRow {
  label: string
  unit: string
  current: number | undefined
  previous: number | undefined
  goal: BenchGoal | undefined
}

/** Whether a figure reached its goal; undefined when this run has no value for it. */
export type GoalOutcome = 'met' | 'missed' | 'not measured'

export function goalOutcome(goal: BenchGoal, value: number | undefined): GoalOutcome {
  if (value === undefined) return 'not measured'
  return (goal.at === 'most' ? value <= goal.value : value >= goal.value) ? 'met' : 'missed'
}

/** "≤ 30 ms", "≥ 1,815 events/s". */
export function formatGoal(goal: BenchGoal, format: (value: number) => string): string {
  return `${goal.at === 'most' ? '≤' : '≥'} ${format(goal.value)}`
}

/** The Summary's goal cell: "≤ 30 ms ✓", "≥ 1,815 events/s ✗", or empty without a goal. */
export function goalCell(c: GoalRow, format: (value: number) => string): string {
  if (!c.goal) return ''
  const outcome = goalOutcome(c.goal, c.current)
  const mark = outcome === 'met' ? ' ✓' : outcome === 'missed' ? ' ✗' : ' (not measured)'
  return `${formatGoal(c.goal, format)}${mark}`
}

/**
 * The report's Goals section: how many goals this run met, then each goal beside its figure,
 * this run's value and the previous run's. Goals belong to the full sizes; a `--quick` run
 * measures smaller work, so it is said to carry fewer of them.
 */
export function goalsMarkdown(
  rows: GoalRow[],
  format: (value: number | undefined, unit: string) => string,
  quick: boolean,
): string[] {
  const withGoals = rows.filter((c) => c.goal !== undefined)
  if (withGoals.length === 0) {
    return [
      quick
        ? 'No goals this run: goals are set on the full sizes (run without `--quick`).'
        : 'No figure of this run has a goal.',
    ]
  }
  const outcomes = withGoals.map((c) => goalOutcome(c.goal as BenchGoal, c.current))
  const met = outcomes.filter((o) => o === 'met').length
  const unmeasured = outcomes.filter((o) => o === 'not measured').length
  const lines = [
    `**${met} of ${withGoals.length} goals met**${unmeasured > 0 ? ` (${unmeasured} not measured this run)` : ''}.`,
    '',
    '| figure | goal | this run | met | previous run | source |',
    '| --- | ---: | ---: | :---: | ---: | --- |',
    ...withGoals.map((c, i) => {
      const goal = c.goal as BenchGoal
      const mark = { met: '✓', missed: '✗', 'not measured': '—' }[outcomes[i] as GoalOutcome]
      const cells = [
        c.label,
        formatGoal(goal, (v) => format(v, c.unit)),
        format(c.current, c.unit),
        mark,
        format(c.previous, c.unit),
        goal.source,
      ]
      return `| ${cells.map((text) => text.replaceAll('|', '\\|')).join(' | ')} |`
    }),
  ]
  if (quick)
    lines.push('', 'A `--quick` run measures smaller work: goals set on full sizes are not in it.')
  return lines
}
