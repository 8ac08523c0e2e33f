import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadConfig } from '../../core/index.js'
import { nationalSizes } from '../../fixtures/index.js'
import { startThrowawayPostgres } from '../../testing/index.js'
import { emitSection, SECTION_FILE_ENV } from '../report/bench-section.js'
import { extractPhase, generatePhase, trustedCentrePhase } from './scale-phases.js'
import { scaleReport } from './scale-report.js'
import {
  count,
  EXTRACT_FORMATS,
  type ExtractResult,
  entriesAt,
  firstLine,
  type GenerateResult,
  type PointResult,
  type SavePartial,
  type SearchResult,
  StepFailedError,
  type StepFailure,
  say,
  type TrustedCentreResult,
} from './scale-results.js'
import { searchPhase } from './scale-search.js'

// `npm run bench:scale [-- --points 0.01,0.1,1 --queries 150]`: the platform at fractions of a
// country's size (6M persons, 600k businesses, a year of sensor readings). Each point runs as
// separate processes (generation, Trusted Centre, extract, search), so each peak memory is its
// own; the report fits cost ∝ size^b per component and names the first to need more than a node.
const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '0.01,0.1,1' },
    queries: { type: 'string', default: '150' },
    // One phase of one point, run by the parent in a process of its own.
    phase: { type: 'string' },
    point: { type: 'string' },
    dir: { type: 'string' },
    input: { type: 'string' },
    entries: { type: 'string' },
    'pg-url': { type: 'string' },
    json: { type: 'string' },
  },
})
// Limits and engine settings as configured; its Trusted Centre uses a fixed test secret, so it
// needs no PSEUDONYM_KEY and runs in development mode unless the environment says otherwise.
const config = loadConfig({ DEV_SIGN_IN: 'true', ...process.env })

async function runPhase(phase: string) {
  const point = Number(values.point)
  const dir = values.dir ?? ''
  const json = values.json ?? ''
  let partial: object | undefined
  const save: SavePartial = async (result) => {
    partial = result
    await writeFile(json, JSON.stringify(result))
  }
  try {
    const result =
      phase === 'generate'
        ? await generatePhase(point, dir)
        : phase === 'trusted-centre'
          ? await trustedCentrePhase(dir, config, save)
          : phase === 'extract'
            ? await extractPhase(dir, values.input ?? '', config, save)
            : phase === 'search'
              ? await searchPhase(
                  Number(values.entries),
                  values['pg-url'] ?? '',
                  Number(values.queries),
                )
              : undefined
    if (!result) throw new Error(`Unknown phase '${phase}'`)
    await save(result)
  } catch (error) {
    // The steps done so far, and which one failed with what, for the parent's report.
    const failed: StepFailure =
      error instanceof StepFailedError
        ? { step: error.step, error: firstLine(error.cause) }
        : { step: phase, error: firstLine(error) }
    await writeFile(json, JSON.stringify({ partial, failed }))
    throw error
  }
}

async function runAll() {
  const points = (values.points ?? '')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b)
  if (points.length < 2 || points.some((p) => !(p > 0)))
    throw new Error(`--points: two or more fractions of national size, such as 0.01,0.1,1`)
  const started = performance.now()
  const results: PointResult[] = []
  let extracted: string | undefined
  const jsonDir = await mkdtemp(join(tmpdir(), 'portal-bench-scale-json-'))
  say('Starting a throwaway PostgreSQL for catalogue search …')
  const postgres = await startThrowawayPostgres()
  try {
    for (const point of points) {
      const sizes = nationalSizes(point)
      say(
        `Point ${point} of national size: ${count(sizes.persons)} persons, ${count(sizes.businesses)} businesses, ${sizes.sensorDays} days of readings, ${count(entriesAt(point))} catalogue entries`,
      )
      const result: PointResult = { point, failures: [] }
      results.push(result)
      const json = (phase: string) => join(jsonDir, `${point}-${phase}.json`)
      const dir = await mkdtemp(join(tmpdir(), 'portal-bench-scale-'))
      try {
        say('  generating the feeds …')
        result.generate = await child<GenerateResult>(result, 'generate', json('generate'), [
          '--point',
          String(point),
          '--dir',
          dir,
        ])
        if (result.generate && result.failures.length === 0) {
          say('  ingest and fusion …')
          result.tc = await child<TrustedCentreResult>(result, 'trusted-centre', json('tc'), [
            '--dir',
            dir,
          ])
        }
        result.failures.push(...(result.tc?.failures ?? []))
        // Each point extracts the same dataset, or its slope would compare two datasets.
        const largest = result.tc?.largest?.pipeline
        extracted ??= largest
        if (largest && largest === extracted) {
          say('  extracts through the query service …')
          result.extract = await child<ExtractResult>(result, 'extract', json('extract'), [
            '--dir',
            dir,
            '--input',
            json('tc'),
          ])
        } else if (extracted) {
          const error = `not run: ${extracted}, the dataset extracted at the other points, was not published`
          result.failures.push(...EXTRACT_FORMATS.map((f) => ({ step: `extract ${f}`, error })))
        }
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
      say('  catalogue search …')
      result.search = await child<SearchResult>(result, 'search', json('search'), [
        '--entries',
        String(entriesAt(point)),
        '--pg-url',
        postgres.url,
        '--queries',
        values.queries ?? '150',
      ])
    }
  } finally {
    await postgres.stop()
    await rm(jsonDir, { recursive: true, force: true })
  }
  const wallSeconds = (performance.now() - started) / 1000
  await emitSection(await scaleReport(results, wallSeconds, config))
}

/**
 * Runs one phase as a child process. A failure is recorded on the point (which step, why) and
 * not thrown; the steps the phase finished before it are returned.
 */
async function child<T>(
  result: PointResult,
  phase: string,
  json: string,
  args: string[],
): Promise<T | undefined> {
  const script = fileURLToPath(import.meta.url)
  // The same loader (tsx) as this process; progress goes to our stderr, nothing to our stdout.
  const proc = spawn(
    process.execPath,
    [...process.execArgv, script, '--phase', phase, '--json', json, ...args],
    { stdio: ['ignore', 2, 2], env: { ...process.env, [SECTION_FILE_ENV]: '' } },
  )
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    proc.on('exit', (c, s) => resolve([c, s])),
  )
  const written = await readFile(json, 'utf8').then(
    (text) => JSON.parse(text) as T | { partial?: T; failed: StepFailure },
    () => undefined,
  )
  if (code === 0) return written as T
  // Killed outright (the kernel's OOM killer), it leaves the last steps it saved, unwrapped.
  const wrapped =
    written && typeof written === 'object' && 'failed' in written ? written : undefined
  const failure = wrapped?.failed ?? {
    step: phase,
    error: signal ? `killed by ${signal}` : `exit code ${code}`,
  }
  result.failures.push(failure)
  say(`  ${failure.step} failed: ${failure.error}`)
  return wrapped ? wrapped.partial : (written as T | undefined)
}

if (values.phase) await runPhase(values.phase)
else await runAll()
