import { describe, expect, it } from 'vitest'
import {
  type BenchRun,
  compareRuns,
  formatChange,
  reportMarkdown,
  type SectionRun,
} from './bench-report.js'
import type { BenchFigure } from './bench-section.js'
import { renderReportHtml } from './report-html.js'

const figure = (key: string, value: number, better: BenchFigure['better']): BenchFigure => ({
  key,
  label: key,
  value,
  unit: 's',
  better,
})
const ok = (id: string, figures: BenchFigure[], args: string[] = []): SectionRun => ({
  id,
  args,
  seconds: 12,
  status: 'ok',
  title: `Section ${id}`,
  markdown: '| a | b |\n| --- | ---: |\n| x | **1** |',
  figures,
  charts: [{ title: 'Chart <1>', file: `${id}-1.svg` }],
})
const run = (sections: SectionRun[], notRun: string[] = []): BenchRun => ({
  date: '2026-03-01T10:00:00.000Z',
  machine: {
    cpus: 2,
    cpuModel: 'Test CPU',
    memoryBytes: 8 * 2 ** 30,
    platform: 'linux x64',
    node: 'v22.0.0',
    commit: 'abc1234',
    hasUncommittedChanges: false,
  },
  options: { quick: true, only: undefined },
  sections,
  notRun,
})

describe('compareRuns', () => {
  it('marks each change by the direction that is better, and not at all for descriptive figures', () => {
    const before = [
      ok('fusion', [
        figure('lower', 10, 'lower'),
        figure('higher', 10, 'higher'),
        figure('none', 10, 'none'),
      ]),
    ]
    const now = [
      ok('fusion', [
        figure('lower', 12, 'lower'),
        figure('higher', 12, 'higher'),
        figure('none', 12, 'none'),
      ]),
    ]
    const rows = compareRuns(now, before)
    expect(rows.map((r) => [r.key, r.current, r.previous, r.verdict, formatChange(r)])).toEqual([
      ['lower', 12, 10, 'worse', '+20.0% ✗'],
      ['higher', 12, 10, 'better', '+20.0% ✓'],
      ['none', 12, 10, 'none', '+20.0%'],
    ])
  })

  it('leaves changes under the threshold unmarked and shows a fall with a minus sign', () => {
    const rows = compareRuns(
      [ok('q', [figure('a', 100.5, 'lower'), figure('b', 90, 'lower')])],
      [ok('q', [figure('a', 100, 'lower'), figure('b', 100, 'lower')])],
    )
    expect(rows.map(formatChange)).toEqual(['+0.5%', '−10.0% ✓'])
  })

  it('has no previous value or change without a previous run', () => {
    const [row] = compareRuns([ok('bundle', [figure('bundle.kb', 5, 'lower')])], undefined)
    expect(row).toMatchObject({ current: 5, previous: undefined, change: undefined })
    expect(formatChange(row as never)).toBe('—')
  })

  it('lists a figure that disappeared, and one that is new', () => {
    const rows = compareRuns(
      [ok('search', [figure('search.new', 1, 'lower')])],
      [ok('search', [figure('search.old', 2, 'lower')])],
    )
    expect(rows.map((r) => [r.key, r.current, r.previous, formatChange(r)])).toEqual([
      ['search.new', 1, undefined, 'new figure'],
      ['search.old', undefined, 2, 'gone this run'],
    ])
  })

  it('does not compare sections run with other arguments, nor sections not run this time', () => {
    const rows = compareRuns(
      [ok('fusion', [figure('fusion.s', 1, 'lower')], ['--scale', '2'])],
      [
        ok('fusion', [figure('fusion.s', 9, 'lower')], []),
        ok('query', [figure('query.s', 9, 'lower')]),
      ],
    )
    expect(rows.map((r) => [r.key, r.current, r.previous, formatChange(r)])).toEqual([
      ['fusion.s', 1, 9, '— (run with other options)'],
    ])
  })

  it("keeps a failed section's previous figures, without a value this run", () => {
    const failed: SectionRun = {
      id: 'query',
      args: [],
      seconds: 3,
      status: 'failed',
      reason: 'exit code 1',
      log: 'boom',
    }
    const rows = compareRuns([failed], [ok('query', [figure('query.s', 9, 'lower')])])
    expect(rows.map((r) => [r.key, r.current, r.previous, formatChange(r)])).toEqual([
      ['query.s', undefined, 9, 'section failed'],
    ])
  })
})

describe('reportMarkdown', () => {
  it('gives the machine, the sections, the comparison and each section with its charts', () => {
    const previous = run([ok('bundle', [figure('bundle.kb', 200, 'lower')])])
    const failed: SectionRun = {
      id: 'query',
      args: [],
      seconds: 3,
      status: 'failed',
      reason: 'exit code 1',
      log: 'Error: boom',
    }
    const markdown = reportMarkdown(
      {
        ...run([ok('bundle', [figure('bundle.kb', 180, 'lower')]), failed], ['load']),
        options: { quick: false, only: ['bundle', 'query'] },
      },
      previous,
    )
    expect(markdown).toContain('- **Machine:** 2 CPUs (Test CPU), 8.0 GB memory, linux x64')
    expect(markdown).toContain('| bundle | done | 12 s | defaults |')
    expect(markdown).toContain('| query | **failed** (exit code 1) | 3 s | defaults |')
    expect(markdown).toContain('| load | not run (`--only`): no figures this time')
    // A section without a quick form is left out of a quick run, which says so.
    expect(reportMarkdown(run([], ['fusion-national']), undefined)).toContain(
      '| fusion-national | not run (`--quick`): no figures this time',
    )
    expect(markdown).toContain(
      '| **Section bundle** | | | | |\n| bundle.kb | 180 s | 200 s | −10.0% ✓ |  |\n\n',
    )
    expect(markdown).toContain('## Section bundle\n\n| a | b |')
    expect(markdown).toContain('![Chart <1>](bundle-1.svg)')
    expect(markdown).toContain('## query: failed\n\nexit code 1 after 3 s.')
    expect(markdown).toContain('```text\nError: boom\n```')
  })
})

describe('goals', () => {
  const goal = (at: 'most' | 'least', value: number) => ({ at, value, source: 'issue 25' })
  const withGoal = (key: string, value: number, g: ReturnType<typeof goal>): BenchFigure => ({
    ...figure(key, value, g.at === 'most' ? 'lower' : 'higher'),
    goal: g,
  })

  it('counts the goals met, shows each beside its figure and the previous run, and marks the summary', () => {
    const previous = run([ok('search', [withGoal('p95', 104, goal('most', 30))])])
    const current = run([
      ok('search', [
        withGoal('p95', 25, goal('most', 30)),
        withGoal('rate', 1200, goal('least', 1815)),
        figure('p50', 10, 'lower'),
      ]),
    ])
    const markdown = reportMarkdown(current, previous)
    expect(markdown).toContain('**1 of 2 goals met**.')
    expect(markdown).toContain('| p95 | ≤ 30 s | 25 s | ✓ | 104 s | issue 25 |')
    expect(markdown).toContain('| rate | ≥ 1,815 s | 1,200 s | ✗ | — | issue 25 |')
    expect(markdown).toContain('| p95 | 25 s | 104 s | −76.0% ✓ | ≤ 30 s ✓ |')
    expect(markdown).toContain('| p50 | 10 s | — | new figure |  |')
  })

  it("counts a failed section's goals as not measured, never as met", () => {
    const failed: SectionRun = {
      id: 'load',
      args: [],
      seconds: 3,
      status: 'failed',
      reason: 'exit code 1',
      log: '',
    }
    const markdown = reportMarkdown(
      run([failed]),
      run([ok('load', [withGoal('errors', 0, goal('most', 0))])]),
    )
    expect(markdown).toContain('**0 of 1 goals met** (1 not measured this run).')
    expect(markdown).toContain('| errors | ≤ 0 s | — | — | 0 s | issue 25 |')
  })

  it('says a quick run carries no goals of the full sizes', () => {
    expect(reportMarkdown(run([ok('bundle', [figure('kb', 1, 'lower')])]), undefined)).toContain(
      'No goals this run: goals are set on the full sizes',
    )
  })
})

describe('renderReportHtml', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
  const html = renderReportHtml(
    [
      '# Report <for> "you"',
      '',
      'A **bold** `<code>` [link](https://example.org/?a=1&b=2) and [bad](javascript:alert(1)).',
      '',
      '| a | b \\| c |',
      '| --- | ---: |',
      '| <x> | **2** |',
      '',
      '![Chart <1>](bundle-1.svg)',
    ].join('\n'),
    new Map([['bundle-1.svg', svg]]),
  )

  it('is a standalone page with the chart inline, captioned', () => {
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<title>Report &lt;for&gt; &quot;you&quot;</title>')
    expect(html).toContain(
      '<figure>\n<svg role="img" aria-label="Chart &lt;1&gt;" xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>\n<figcaption>Chart &lt;1&gt;</figcaption>\n</figure>',
    )
  })

  it('escapes text and renders headings, bold, code, links and tables', () => {
    expect(html).toContain('<h1>Report &lt;for&gt; &quot;you&quot;</h1>')
    expect(html).toContain(
      '<p>A <strong>bold</strong> <code>&lt;code&gt;</code> <a href="https://example.org/?a=1&amp;b=2">link</a> and [bad](javascript:alert(1)).</p>',
    )
    expect(html).toContain(
      '<thead><tr><th>a</th><th style="text-align: right">b | c</th></tr></thead>',
    )
    expect(html).toContain(
      '<tr><td>&lt;x&gt;</td><td style="text-align: right"><strong>2</strong></td></tr>',
    )
    expect(html).not.toContain('<x>')
  })
})
