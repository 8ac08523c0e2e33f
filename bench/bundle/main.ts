import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { barChart } from '../report/bar-chart.js'
import { emitSection } from '../report/bench-section.js'
import {
  BROWSER_ACCEPT_ENCODING,
  type ChunkSize,
  INITIAL_JS_BUDGET_BYTES,
  measureBundle,
} from './bundle-size.js'

// `npm run bench:bundle`: builds the portal and reports what a first visit transfers (as the
// server sends it, precompressed) against the 250 kB budget, with the largest chunks loaded
// later by the routes that need them.
const root = join(import.meta.dirname, '..', '..')
process.stderr.write('Building the portal …\n')
// stdout is the section's Markdown when run alone, so Vite's output goes to stderr.
execFileSync('npx', ['vite', 'build', 'portal', '--logLevel', 'error'], {
  cwd: root,
  stdio: ['ignore', 2, 2],
})
const report = await measureBundle(join(root, 'portal', 'dist'))
const kB = (bytes: number) => bytes / 1024
const encodings = [...new Set(report.initialJs.map((c) => c.encoding))].join(', ')
const lines = [
  `What a browser that accepts \`${BROWSER_ACCEPT_ENCODING}\` transfers (${encodings}), the files as built, and gzipped at level 9.`,
  '',
  '| what | kB sent | kB built | kB gzip | budget |',
  '|---|---:|---:|---:|---:|',
  `| initial JavaScript (${report.initialJs.length} chunks) | ${kB(report.initialJsSentBytes).toFixed(1)} | ${kB(report.initialJsBytes).toFixed(1)} | ${kB(sum(report.initialJs, 'gzipBytes')).toFixed(1)} | ${kB(INITIAL_JS_BUDGET_BYTES)} |`,
  `| initial CSS | ${kB(report.initialCssSentBytes).toFixed(1)} | ${kB(sum(report.initialCss, 'bytes')).toFixed(1)} | ${kB(sum(report.initialCss, 'gzipBytes')).toFixed(1)} | |`,
  ...report.lazyJs
    .slice(0, 8)
    .map(
      (c) =>
        `| later: ${c.file} | ${kB(c.sentBytes).toFixed(1)} | ${kB(c.bytes).toFixed(1)} | ${kB(c.gzipBytes).toFixed(1)} | |`,
    ),
  '',
  `Initial JavaScript, as sent, is ${((report.initialJsSentBytes / INITIAL_JS_BUDGET_BYTES) * 100).toFixed(0)}% of the budget.`,
]
await emitSection({
  id: 'bundle',
  title: 'Portal bundle (as transferred)',
  markdown: lines.join('\n'),
  figures: [
    {
      key: 'bundle.initial_js_sent_kb',
      label: 'portal: initial JavaScript, as transferred',
      value: round(kB(report.initialJsSentBytes), 1),
      unit: 'kB',
      better: 'lower',
    },
    {
      key: 'bundle.initial_css_sent_kb',
      label: 'portal: initial CSS, as transferred',
      value: round(kB(report.initialCssSentBytes), 1),
      unit: 'kB',
      better: 'lower',
    },
    {
      key: 'bundle.largest_lazy_js_sent_kb',
      label: 'portal: largest chunk loaded later, as transferred',
      value: round(kB(report.lazyJs[0]?.sentBytes ?? 0), 1),
      unit: 'kB',
      better: 'lower',
    },
  ],
  charts: [
    {
      title: 'Portal JavaScript, as transferred (kB)',
      svg: await barChart(
        'Portal JavaScript, as transferred (kB)',
        [
          ['budget', kB(INITIAL_JS_BUDGET_BYTES)],
          ['initial', kB(report.initialJsSentBytes)],
          ...report.lazyJs
            .slice(0, 5)
            .map((c): [string, number] => [c.file.replace(/-[\w-]{8}\.js$/, ''), kB(c.sentBytes)]),
        ],
        'kB',
      ),
    },
  ],
})

function sum(chunks: readonly ChunkSize[], of: 'bytes' | 'gzipBytes') {
  return chunks.reduce((total, c) => total + c[of], 0)
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}
