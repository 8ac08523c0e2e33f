import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { barChart } from '../report/bar-chart.js'
import { emitSection } from '../report/bench-section.js'
import { INITIAL_JS_BUDGET_BYTES, measureBundle } from './bundle-size.js'

// `npm run bench:bundle`: builds the portal and reports what a first visit downloads (gzipped),
// against the 250 kB budget, with the largest chunks loaded later by the routes that need them.
const root = join(import.meta.dirname, '..', '..')
process.stderr.write('Building the portal …\n')
// stdout is the section's Markdown when run alone, so Vite's output goes to stderr.
execFileSync('npx', ['vite', 'build', 'portal', '--logLevel', 'error'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
})
const report = await measureBundle(join(root, 'portal', 'dist'))
const kB = (bytes: number) => bytes / 1024
const lines = [
  '| what | kB | budget |',
  '|---|---:|---:|',
  `| initial JavaScript (${report.initialJs.length} chunks) | ${kB(report.initialJsGzipBytes).toFixed(1)} | ${kB(INITIAL_JS_BUDGET_BYTES)} |`,
  `| initial CSS | ${kB(report.initialCssGzipBytes).toFixed(1)} | |`,
  ...report.lazyJs.slice(0, 8).map((c) => `| later: ${c.file} | ${kB(c.gzipBytes).toFixed(1)} | |`),
  '',
  `Initial JavaScript is ${((report.initialJsGzipBytes / INITIAL_JS_BUDGET_BYTES) * 100).toFixed(0)}% of the budget.`,
]
await emitSection({
  id: 'bundle',
  title: 'Portal bundle (gzipped)',
  markdown: lines.join('\n'),
  figures: [
    {
      key: 'bundle.initial_js_kb',
      label: 'portal: initial JavaScript, gzipped',
      value: round(kB(report.initialJsGzipBytes), 1),
      unit: 'kB',
      better: 'lower',
    },
    {
      key: 'bundle.initial_css_kb',
      label: 'portal: initial CSS, gzipped',
      value: round(kB(report.initialCssGzipBytes), 1),
      unit: 'kB',
      better: 'lower',
    },
    {
      key: 'bundle.largest_lazy_js_kb',
      label: 'portal: largest chunk loaded later, gzipped',
      value: round(kB(report.lazyJs[0]?.gzipBytes ?? 0), 1),
      unit: 'kB',
      better: 'lower',
    },
  ],
  charts: [
    {
      title: 'Portal JavaScript, gzipped (kB)',
      svg: await barChart(
        'Portal JavaScript, gzipped (kB)',
        [
          ['budget', kB(INITIAL_JS_BUDGET_BYTES)],
          ['initial', kB(report.initialJsGzipBytes)],
          ...report.lazyJs
            .slice(0, 5)
            .map((c): [string, number] => [c.file.replace(/-[\w-]{8}\.js$/, ''), kB(c.gzipBytes)]),
        ],
        'kB',
      ),
    },
  ],
})

function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}
