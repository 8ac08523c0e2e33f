import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { barChart } from './bar-chart.js'
import { INITIAL_JS_BUDGET_BYTES, measureBundle } from './bundle-size.js'

// `npm run bench:bundle`: builds the portal and reports what a first visit downloads (gzipped),
// against the 250 kB budget, with the largest chunks loaded later by the routes that need them.
const root = join(import.meta.dirname, '..')
process.stderr.write('Building the portal …\n')
execFileSync('npx', ['vite', 'build', 'portal', '--logLevel', 'error'], {
  cwd: root,
  stdio: 'inherit',
})
const report = await measureBundle(join(root, 'portal', 'dist'))
const kB = (bytes: number) => bytes / 1024
const lines = [
  '## Portal bundle (gzipped)',
  '',
  '| what | kB | budget |',
  '|---|---:|---:|',
  `| initial JavaScript (${report.initialJs.length} chunks) | ${kB(report.initialJsGzipBytes).toFixed(1)} | ${kB(INITIAL_JS_BUDGET_BYTES)} |`,
  `| initial CSS | ${kB(report.initialCssGzipBytes).toFixed(1)} | |`,
  ...report.lazyJs.slice(0, 8).map((c) => `| later: ${c.file} | ${kB(c.gzipBytes).toFixed(1)} | |`),
  '',
  `Initial JavaScript is ${((report.initialJsGzipBytes / INITIAL_JS_BUDGET_BYTES) * 100).toFixed(0)}% of the budget.`,
]
process.stdout.write(`${lines.join('\n')}\n`)
const chart = join(root, 'bench-bundle.svg')
await writeFile(
  chart,
  barChart(
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
)
process.stderr.write(`Chart: ${chart}\n`)
