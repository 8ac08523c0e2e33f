import { execFileSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type BenchRun,
  formatDuration,
  type MachineInfo,
  reportMarkdown,
  type SectionRun,
} from './report/bench-report.js'
import { type BenchSection, SECTION_FILE_ENV } from './report/bench-section.js'
import { renderReportHtml } from './report/report-html.js'

// `npm run bench [-- --quick --only load,scale]`: every benchmark as one report. Each section
// runs as its own process (`bench/<id>/main.ts`, so peak memory is its own) and hands its
// section back through SECTION_FILE_ENV; the report compares the run with the previous one.
// A section runs `bench/<script ?? id>/main.ts` with `full` arguments, or `quick` ones under
// --quick; one without a quick form (a country's size) is left out of a quick run.
const SECTIONS: { id: string; script?: string; full?: string[]; quick?: string[] }[] = [
  { id: 'bundle', quick: [] },
  { id: 'fusion', quick: ['--scale', '2', '--repeat', '1'] },
  // A country's persons (about 4 minutes to generate, 2 to ingest and fuse): issue 25's goals
  // of 1.2× the hand-written statement and 1.5 GB for the Trusted Centre.
  { id: 'fusion-national', script: 'fusion', full: ['--scale', '1200'] },
  { id: 'samples', quick: ['--scale', '2', '--repeat', '1'] },
  { id: 'search', quick: ['--sizes', '1000', '--queries', '30'] },
  { id: 'query', quick: ['--rows', '100000', '--clients', '5', '--seconds', '3', '--rounds', '1'] },
  { id: 'lineage', quick: ['--events', '2000', '--clients', '4', '--queries', '20'] },
  { id: 'kpi', quick: ['--requests', '20'] },
  { id: 'api', quick: ['--requests', '5'] },
  // The same calls beside a whole government's catalogue: what grows with it shows here.
  {
    id: 'api-catalogue',
    script: 'api',
    full: ['--catalogue', '100000', '--backend', 'postgres'],
    quick: ['--catalogue', '70000', '--backend', 'postgres', '--requests', '3'],
  },
  { id: 'load', quick: ['--users', '5,20', '--seconds', '10'] },
  { id: 'scale', quick: ['--points', '0.001,0.003,0.01'] },
]
/** How much of a failed section's stderr the report keeps. */
const LOG_TAIL_LINES = 20

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
})
const only = values.only?.split(',').map((id) => id.trim())
const unknown = only?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? []
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown section(s): ${unknown.join(', ')}. Sections: ${SECTIONS.map((s) => s.id).join(', ')}\n`,
  )
  process.exit(2)
}
const root = join(import.meta.dirname, '..')
const out = join(root, 'bench-results')
const selected = SECTIONS.filter(
  (s) => (!only || only.includes(s.id)) && (!values.quick || s.quick !== undefined),
)
const scratch = await mkdtemp(join(tmpdir(), 'portal-bench-report-'))
const sections: SectionRun[] = []
const svgs = new Map<string, string>()
try {
  for (const [n, { id, script = id, full = [], quick = [] }] of selected.entries()) {
    const args = values.quick ? quick : full
    const step = `[${n + 1}/${selected.length}] ${id}`
    process.stderr.write(`\n${step}: npx tsx bench/${script}/main.ts ${args.join(' ')}\n`)
    const started = performance.now()
    const result = await runSection(script, args, join(scratch, `${id}.json`))
    const seconds = (performance.now() - started) / 1000
    if ('section' in result) {
      const charts = result.section.charts.map((chart, i) => {
        const file = `${id}-${i + 1}.svg`
        svgs.set(file, chart.svg)
        return { title: chart.title, file }
      })
      const { title, markdown, figures } = result.section
      sections.push({ id, args, seconds, status: 'ok', title, markdown, figures, charts })
      process.stderr.write(`${step} … ${formatDuration(seconds)}\n`)
    } else {
      sections.push({ id, args, seconds, status: 'failed', ...result })
      process.stderr.write(`${step} … failed (${result.reason}) after ${formatDuration(seconds)}\n`)
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true })
}

const run: BenchRun = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  options: { quick: values.quick ?? false, only },
  sections,
  notRun: SECTIONS.filter((s) => !selected.includes(s)).map((s) => s.id),
}
await mkdir(out, { recursive: true })
// The last run becomes the one to compare with; without one, an older previous.json is stale.
const results = join(out, 'results.json')
const previousFile = join(out, 'previous.json')
if (existsSync(results)) await rename(results, previousFile)
else await rm(previousFile, { force: true })
const previous = existsSync(previousFile)
  ? (JSON.parse(await readFile(previousFile, 'utf8')) as BenchRun)
  : undefined
for (const file of await readdir(out)) {
  if (/^[a-z-]+-\d+\.svg$/.test(file)) await rm(join(out, file))
}
for (const [file, svg] of svgs) await writeFile(join(out, file), svg)
const markdown = reportMarkdown(run, previous)
await writeFile(join(out, 'report.md'), markdown)
await writeFile(join(out, 'report.html'), renderReportHtml(markdown, svgs))
await writeFile(results, `${JSON.stringify(run, null, 2)}\n`)
process.stdout.write(`\n${markdown}\n`)
for (const file of ['report.md', 'report.html']) {
  process.stdout.write(`Report: ${relative(process.cwd(), join(out, file))}\n`)
}
if (sections.some((s) => s.status === 'failed')) process.exitCode = 1

/**
 * Runs one bench script as a child process: its stdout goes to our stderr (our stdout is the
 * report), its stderr too, and the end of its stderr is kept in case it fails.
 */
async function runSection(
  name: string,
  args: string[],
  sectionFile: string,
): Promise<{ section: BenchSection } | { reason: string; log: string }> {
  const script = join('bench', name, 'main.ts')
  if (!existsSync(join(root, script))) return { reason: `${script} not found`, log: '' }
  // --expose-gc: a section may let go of its inputs before measuring memory (see bench/fusion).
  const child = spawn('npx', ['tsx', '--expose-gc', script, ...args], {
    cwd: root,
    // The product's processes run with deploy/Dockerfile's allocator setting (DuckDB's freed
    // blocks go back to the system), so each section measures them as deployed.
    env: { MALLOC_MMAP_THRESHOLD_: '131072', ...process.env, [SECTION_FILE_ENV]: sectionFile },
    stdio: ['ignore', 2, 'pipe'],
  })
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk)
    tail = (tail + chunk.toString('utf8'))
      .split('\n')
      .slice(-LOG_TAIL_LINES - 1)
      .join('\n')
  })
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', reject)
      child.once('close', (c, s) => resolve([c, s]))
    },
  )
  const log = tail.trimEnd()
  if (signal) return { reason: `killed by ${signal}`, log }
  if (code !== 0) return { reason: `exit code ${code}`, log }
  if (!existsSync(sectionFile)) return { reason: 'it wrote no section', log }
  return { section: JSON.parse(await readFile(sectionFile, 'utf8')) as BenchSection }
}

function machineInfo(): MachineInfo {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
    } catch {
      return undefined // not a git checkout (e.g. an unpacked release): the report says unknown
    }
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown model',
    memoryBytes: totalmem(),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    commit: git('rev-parse', '--short', 'HEAD') ?? 'unknown',
    hasUncommittedChanges: (git('status', '--porcelain') ?? '') !== '',
  }
}
