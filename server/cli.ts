import { parseArgs } from 'node:util'
import { grantsOnRecord } from '../access/index.js'
import { AppError, type Config, createLogger, loadConfig } from '../core/index.js'
import { lineageRunId, type RunDelivery } from '../lineage/index.js'
import { type ExtractTrace, traceExtract } from '../query-service/index.js'
import type { ProgressListener } from '../trusted-centre/index.js'
import { loadData } from './load-data.js'
import { openRuntime, type Runtime } from './runtime.js'
import { serveApp } from './serve-app.js'
import { endOnUnhandledRejection } from './unhandled-rejection.js'

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  start                    migrate, load the data directory, and serve the API and portal
  migrate                  bring the metadata database schema up to date
  ingest <feed> <file>     ingest one delivered file of a feed (dos_persons, sla_addresses)
  fuse [pipeline]          run one fusion pipeline, or all of them
  runs [--limit N]         show the Trusted Centre's run history
  quarantine <run> [--limit N]  show the rows an ingest run refused, with row, reason and raw text
  verify-audit             check the audit trail's keyed chain and checkpoints; exits 1 naming the break
  trace-extract <file>     name the grant a downloaded file (CSV, NDJSON, Parquet, Arrow, JSON)
                           was made for, from its pseudonyms; exits 1 when no key matches

Options:
  --json                   print machine-readable JSON instead of text
  --dev-sign-in            (start) offer the development sign-in unless DEV_SIGN_IN says otherwise
  --help                   show this help
Configuration comes from environment variables; see the README.`

/** Writes text for people (stdout); logs go to stderr for every command but start. */
type Out = (text: string) => void

/** Runs one CLI command and returns the process exit code. */
export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Out,
  err: Out,
): Promise<number> {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    err(`${(error as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  const { command, args, json, limit, help, devSignIn } = parsed
  if (help || !command) {
    out(`${USAGE}\n`)
    return help ? 0 : 2
  }
  let config: Config
  try {
    config = loadConfig(devSignIn ? { DEV_SIGN_IN: 'true', ...env } : env)
  } catch (error) {
    err(`${(error as Error).message}\n`)
    return 1
  }
  const log = createLogger(
    { level: config.LOG_LEVEL },
    command === 'start' ? undefined : process.stderr,
  )
  let runtime: Runtime | undefined
  try {
    runtime = await openRuntime(config, log)
    switch (command) {
      case 'start':
        return await start(runtime, out)
      case 'migrate':
        out('Database schema is up to date.\n')
        return 0
      case 'ingest': {
        const [feed, file] = args
        if (!feed || !file)
          throw new UsageError('ingest needs a feed and a file: ingest <feed> <file>')
        const result = await runtime.trustedCentre.ingest(feed, file)
        out(
          json
            ? `${JSON.stringify({ outcome: result.outcome, run: result.run })}\n`
            : `${result.outcome}: ${result.run.message ?? ''} (run ${result.run.id})\n`,
        )
        return result.outcome === 'refused' ? 1 : 0
      }
      case 'fuse': {
        const results = await runtime.trustedCentre.fuse(
          args[0],
          json ? undefined : progressTo(err),
        )
        out(
          json
            ? `${JSON.stringify(results)}\n`
            : results.map((r) => `${r.run.subject}: ${r.run.message}\n`).join(''),
        )
        return 0
      }
      case 'runs': {
        const runs = await runtime.trustedCentre.listRuns({ limit })
        // Whether each run's lineage reached the external consumers (HTTP, file), if any.
        const delivery = await runtime.lineage.graph.deliveryOfRuns(
          runs.map((r) => lineageRunId(r.id)),
        )
        const lineageOf = (run: RunOf) => delivery.get(lineageRunId(run.id)) ?? []
        out(
          json
            ? `${JSON.stringify(runs.map((r) => ({ ...runToJson(r), lineageDelivery: lineageOf(r) })))}\n`
            : formatRuns(runs, lineageOf),
        )
        return 0
      }
      case 'quarantine': {
        const [runId] = args
        if (!runId) throw new UsageError('quarantine needs a run id: quarantine <run> (see runs)')
        const rows = await runtime.trustedCentre.quarantine(runId, { limit })
        if (json) out(`${JSON.stringify(rows)}\n`)
        else if (rows.length === 0) out('Nothing was quarantined.\n')
        else out(rows.map((r) => `row ${r.row}: ${r.reason}\n    ${r.rawText}\n`).join(''))
        return 0
      }
      case 'verify-audit': {
        const result = await runtime.audit.verify()
        if (json) out(`${JSON.stringify(result)}\n`)
        else if (result.ok)
          out(
            `Audit log intact: ${result.entries} entries, head ${result.headHash}${
              result.checkpoint
                ? `; matches the checkpoint of ${result.checkpoint.at} (${result.checkpoint.entries} entries)`
                : ''
            }\n`,
          )
        else
          out(
            `Audit log BROKEN at entry ${result.firstBadSeq} (${result.kind}): ${result.problem}\n`,
          )
        return result.ok ? 0 : 1
      }
      case 'trace-extract': {
        const [file] = args
        if (!file) throw new UsageError('trace-extract needs a file: trace-extract <file>')
        const trace = await traceExtract(file, {
          dataDir: runtime.config.DATA_DIR,
          keys: runtime.pseudonyms,
          ...(await grantsOnRecord(runtime.db)),
        })
        out(json ? `${JSON.stringify(trace)}\n` : formatTrace(file, trace))
        return trace.matches.length > 0 ? 0 : 1
      }
      default:
        throw new UsageError(`Unknown command '${command}'`)
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n\n${USAGE}\n`)
      return 2
    }
    if (error instanceof AppError) {
      err(`${error.message}\n`)
      return 1
    }
    log.error({ err: error }, 'command failed')
    err(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  } finally {
    if (command !== 'start') await runtime?.close()
  }
}

async function start(runtime: Runtime, out: Out): Promise<number> {
  process.on(
    'unhandledRejection',
    endOnUnhandledRejection(runtime.log, (code) => process.exit(code)),
  )
  await loadData(runtime)
  if (runtime.config.DEV_SIGN_IN) {
    runtime.log.warn(
      'development sign-in is ON: anyone who reaches this server can sign in as any fixture user',
    )
  }
  const server = await serveApp(runtime)
  out(`\nPortal ready at ${server.url}  (API: ${server.url}/api/datasets)\n\n`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  runtime.log.info('shutting down')
  await server.close()
  await runtime.close()
  return 0
}

class UsageError extends Error {}

/** Prints each step of long work as it starts and ends, with the time it took. */
function progressTo(err: Out): ProgressListener {
  const started = new Map<string, number>()
  return (event) => {
    const key = `${event.step} ${event.subject}`
    if (event.phase === 'start') {
      started.set(key, performance.now())
      err(`… ${key}\n`)
      return
    }
    const seconds = ((performance.now() - (started.get(key) ?? performance.now())) / 1000).toFixed(
      1,
    )
    err(
      `${event.run?.status === 'succeeded' ? '✓' : '✗'} ${key} (${seconds} s): ${event.run?.message ?? ''}\n`,
    )
  }
}

type RunOf = Awaited<ReturnType<Runtime['trustedCentre']['listRuns']>>[number]

/** A run for scripts: what it worked on is named `feed` or `pipeline`, as its kind says. */
function runToJson(run: RunOf) {
  const { subject, ...rest } = run
  return run.kind === 'ingest' ? { ...rest, feed: subject } : { ...rest, pipeline: subject }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      limit: { type: 'string' },
      'dev-sign-in': { type: 'boolean', default: false },
    },
  })
  const limit = values.limit === undefined ? undefined : Number(values.limit)
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new Error(`--limit must be a positive whole number, got '${values.limit}'`)
  }
  const [command, ...args] = positionals
  return {
    command,
    args,
    json: values.json,
    help: values.help,
    limit,
    devSignIn: values['dev-sign-in'],
  }
}

/** A run's lineage delivery in a word or two: 'sent', '3 waiting', or '' without consumers. */
function deliveryWord(delivery: readonly RunDelivery[]): string {
  const pending = delivery.reduce((n, d) => n + d.pending, 0)
  if (delivery.length === 0) return ''
  return pending === 0 ? 'sent' : `${pending} waiting`
}

function formatRuns(runs: RunOf[], lineageOf: (run: RunOf) => readonly RunDelivery[]): string {
  if (runs.length === 0) return 'No runs yet.\n'
  const header = [
    'started',
    'kind',
    'subject',
    'status',
    'rows in',
    'accepted',
    'quarantined',
    'lineage out',
    'run',
  ]
  const rows = runs.map((r) => [
    r.startedAt.toISOString().slice(0, 19).replace('T', ' '),
    r.kind,
    r.subject,
    r.status,
    String(r.rowsIn ?? ''),
    String(r.accepted ?? ''),
    String(r.quarantined ?? ''),
    deliveryWord(lineageOf(r)),
    r.id,
  ])
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return `${[line(header), ...rows.map(line)].join('\n')}\n`
}

/**
 * A trace for people: each key that made some of the file's pseudonyms, the strongest first, with
 * its share and the grants made under it. Names come from free text (a project's, say) and are
 * printed quoted, control characters escaped, so none can rewrite the terminal's lines.
 */
function formatTrace(file: string, trace: ExtractTrace): string {
  const q = (text: string) => JSON.stringify(text)
  if (trace.pseudonymColumns.length === 0)
    return `${q(file)}: no pseudonyms (masked-…) in its columns ${trace.columns.map(q).join(', ')}: nothing to trace.\n`
  const lines = [
    `${q(file)}: pseudonyms in ${trace.pseudonymColumns.map((c) => `${q(c.column)} (${c.sampled} sampled from the whole file)`).join(', ')}`,
  ]
  if (trace.matches.length === 0)
    lines.push('No key the platform ever used makes these pseudonyms.')
  for (const m of trace.matches) {
    const grant = m.grants[0]
    const whose =
      m.scope === 'sample'
        ? 'open data or a sample made before samples had keys of their own'
        : m.scope.startsWith('sample:')
          ? `the de-identified sample of ${m.scope.slice('sample:'.length)} (open to anyone who may discover the dataset)`
          : m.scope.startsWith('project:')
            ? `project ${q(grant?.project ?? '')} of ${q(grant?.grantee.username ?? '')}`
            : `grant ${m.scope.slice('grant:'.length)} (its request named no project)`
    const share = m.matched === m.sampled ? 'all' : `${m.matched} of ${m.sampled}`
    lines.push(
      `Made for ${whose}: ${share} pseudonyms of ${q(m.column)} are ${m.dataset}.${m.identifier} under its key`,
    )
    for (const g of m.grants) {
      const state = g.revokedAt
        ? `revoked ${day(g.revokedAt)}`
        : g.expiresAt < new Date()
          ? `expired ${day(g.expiresAt)}`
          : `active until ${day(g.expiresAt)}`
      lines.push(
        `  grant ${g.id}  ${q(g.grantee.username)} (${q(g.grantee.agency)})  granted ${day(g.grantedAt)}, ${state}${g.sameColumns ? '  (exactly these columns)' : ''}`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

const day = (date: Date) => date.toISOString().slice(0, 10)
