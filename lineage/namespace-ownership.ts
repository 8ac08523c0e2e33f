import { isDatasetEvent, isRunEvent, type LineageEvent } from './events.js'
import { PORTAL_NAMESPACE } from './producer.js'

/** A lineage namespace registered to an agency: only that agency's stewards write into it. */
export interface LineageNamespace {
  namespace: string
  /** The owning agency's code. */
  agency: string
  registeredBy: string
  registeredAt: Date
}

/** One namespace an event would write, and what it would write there. */
export interface NamespaceWrite {
  namespace: string
  /** For people: e.g. `job fuse.x`, `output dataset y`, `facets of input dataset z`. */
  what: string
}

// Invisible characters a lookalike could hide: whitespace and Unicode format characters.
const INVISIBLE = /[\s\p{Cf}]+/gu
// Every kind of dash (hyphen, non-breaking hyphen, en dash…) reads as one.
const DASHES = /\p{Pd}/gu

/**
 * The form every spelling of one namespace shares: Unicode compatibility forms folded,
 * percent-encoding undone, whitespace and invisible characters dropped, dashes made one, case folded, trailing
 * slashes removed. Registrations are unique by it, so `Gov-Data-Portal/` or `gov%2Ddata-portal`
 * is the platform's too; events must still use the spelling that was registered.
 */
export function canonicalNamespace(namespace: string): string {
  let text = namespace.normalize('NFKC')
  // Twice-encoded forms too, a few rounds at most; a malformed escape stays as it is.
  for (let round = 0; round < 3 && /%[0-9a-f]{2}/i.test(text); round++) {
    try {
      text = decodeURIComponent(text).normalize('NFKC')
    } catch {
      break
    }
  }
  return text.replace(INVISIBLE, '').replace(DASHES, '-').toLowerCase().replace(/\/+$/, '')
}

/**
 * The platform's own namespaces, by how they begin: ours (`gov-data-portal`, and `.staging`,
 * `.quarantine`, `.reference`), and `feeds://<ssot>`, the SSOT deliveries our ingest runs read
 * (named so in trusted-centre/run-lineage.ts).
 */
const PLATFORM_PREFIXES = [PORTAL_NAMESPACE, 'feeds://'] as const

/** The platform's namespaces, for people. */
export const PLATFORM_NAMESPACES = `${PORTAL_NAMESPACE}, ${PORTAL_NAMESPACE}.*, feeds://*`

/**
 * Whether a namespace, in any spelling, is the platform's own (see {@link PLATFORM_PREFIXES}).
 * Only the platform writes there, in process; no caller does over HTTP, and no agency may
 * register one.
 */
export function isPlatformNamespace(namespace: string): boolean {
  const canonical = canonicalNamespace(namespace)
  return PLATFORM_PREFIXES.some((prefix) => canonical.startsWith(prefix))
}

type DatasetLike = { namespace?: unknown; name?: unknown; facets?: unknown }

const hasFacets = (d: DatasetLike) =>
  typeof d.facets === 'object' && d.facets !== null && Object.keys(d.facets).length > 0

/**
 * The inputs an event names in the platform's namespaces: only the platform makes datasets
 * there, so an input naming one that does not exist would make a node nobody published.
 */
export function platformInputs(event: LineageEvent): { namespace: string; name: string }[] {
  if (isDatasetEvent(event)) return []
  return ((event as { inputs?: DatasetLike[] }).inputs ?? []).flatMap((input) =>
    typeof input.namespace === 'string' && isPlatformNamespace(input.namespace)
      ? [{ namespace: input.namespace, name: String(input.name) }]
      : [],
  )
}

/** The `symlinks` identifiers a dataset lists, whatever else its facets hold. */
function aliasesOf(d: DatasetLike): { namespace: string; name: string }[] {
  const symlinks = (d.facets as { symlinks?: { identifiers?: unknown } } | undefined)?.symlinks
  const identifiers = Array.isArray(symlinks?.identifiers) ? symlinks.identifiers : []
  return identifiers.flatMap((id: { namespace?: unknown; name?: unknown }) =>
    typeof id?.namespace === 'string' ? [{ namespace: id.namespace, name: String(id.name) }] : [],
  )
}

/**
 * Every namespace an event writes: its job's (the job, its runs, its edges), each output's (a
 * writer and, on COMPLETE, a new version of that dataset), each input's whose dataset facets
 * (schema, documentation…) it carries, and a DatasetEvent's dataset, and the namespace of every
 * alias (`symlinks`) those datasets claim, but our catalogue's. Naming another's dataset as an input without facets
 * writes nothing of theirs: it is the job's own edge.
 */
export function namespacesWritten(event: LineageEvent): NamespaceWrite[] {
  const writes: NamespaceWrite[] = []
  const add = (d: DatasetLike | undefined, what: (name: string) => string) => {
    if (!d || typeof d.namespace !== 'string') return
    writes.push({ namespace: d.namespace, what: what(String(d.name)) })
    // An alias says "this is also that dataset": a claim about that namespace, so it is a write
    // there too. Only naming a dataset of our catalogue is open to all: a copy made under a
    // grant says where it came from (shown under its own namespace, never as ours).
    for (const alias of aliasesOf(d).filter((a) => a.namespace !== PORTAL_NAMESPACE))
      writes.push({
        namespace: alias.namespace,
        what: `alias ${alias.name} of dataset ${String(d.name)}`,
      })
  }
  if (isDatasetEvent(event)) {
    add(event.dataset, (name) => `dataset ${name}`)
    return writes
  }
  add(event.job, (name) => `job ${name}`)
  for (const output of event.outputs ?? []) add(output, (name) => `output dataset ${name}`)
  for (const input of event.inputs ?? [])
    if (hasFacets(input)) add(input, (name) => `facets of input dataset ${name}`)
  return writes
}

/** What the audit keeps of an accepted (or refused) event: whose job, which run, what happened. */
export function eventSummary(event: LineageEvent) {
  if (isDatasetEvent(event))
    return {
      kind: 'DatasetEvent' as const,
      namespace: event.dataset.namespace,
      dataset: event.dataset.name,
      job: null,
      runId: null,
      eventType: null,
    }
  const run = isRunEvent(event) ? event : undefined
  return {
    kind: run ? ('RunEvent' as const) : ('JobEvent' as const),
    namespace: event.job.namespace,
    job: event.job.name,
    runId: run?.run.runId ?? null,
    eventType: run?.eventType ?? null,
  }
}

const REGISTER_HINT =
  'an administrator registers a namespace to an agency with POST /api/v1/lineage/namespaces'

/**
 * Why a write is refused, or undefined when the caller may make it: the namespace must be
 * registered, in exactly this spelling, to an agency whose namespaces the caller may write
 * (`mayWrite`, from their ability); the platform's own namespaces are nobody's over HTTP.
 */
export function refusalOf(
  write: NamespaceWrite,
  registration: LineageNamespace | undefined,
  mayWrite: (agency: string) => boolean,
): string | undefined {
  const about = `Lineage namespace '${write.namespace}' (${write.what})`
  if (isPlatformNamespace(write.namespace))
    return `${about} is the platform's own (${PLATFORM_NAMESPACES}): only the portal's pipelines write to it. Send your events in a namespace registered to your agency; ${REGISTER_HINT}`
  if (!registration)
    return `${about} is not registered to any agency: ${REGISTER_HINT} (GET /api/v1/lineage/namespaces lists them)`
  if (!mayWrite(registration.agency))
    return `${about} is registered to ${registration.agency}: only ${registration.agency}'s stewards may write to it`
  if (registration.namespace !== write.namespace)
    return `${about} is registered as '${registration.namespace}': write it exactly so`
  return undefined
}

/** Which event of a request it is, in words: type, run and job, or the dataset. */
function describeEvent(event: LineageEvent): string {
  const summary = eventSummary(event)
  if (summary.kind === 'DatasetEvent')
    return `DatasetEvent of ${summary.namespace}:${summary.dataset}`
  if (summary.kind === 'JobEvent') return `JobEvent of ${summary.namespace}:${summary.job}`
  return `${summary.eventType ?? 'RunEvent'} of run ${summary.runId} of job ${summary.namespace}:${summary.job}`
}

type JobId = { namespace: string; name: string }

/**
 * Every event of a request the caller may not send, with why: a namespace it writes that is not
 * theirs (see {@link refusalOf}), or a run already known under another job (a run is its job's:
 * nobody completes or fails another's run by naming it under a job of their own).
 * @param owners registrations by canonical namespace; @param runJobs known runs' jobs.
 */
export function refusalsOf(
  events: readonly LineageEvent[],
  owners: ReadonlyMap<string, LineageNamespace>,
  runJobs: ReadonlyMap<string, JobId>,
  mayWrite: (agency: string) => boolean,
  knownDatasets: ReadonlySet<string> = new Set(),
): { index: number; message: string }[] {
  const refusals: { index: number; message: string }[] = []
  const jobOfRun = new Map(runJobs)
  for (const [index, event] of events.entries()) {
    let reason = namespacesWritten(event)
      .map((write) => refusalOf(write, owners.get(canonicalNamespace(write.namespace)), mayWrite))
      .find((refusal) => refusal !== undefined)
    reason ??= platformInputs(event)
      .filter((input) => !knownDatasets.has(`${input.namespace}\n${input.name}`))
      .map(
        (input) =>
          `input dataset ${input.namespace}:${input.name} is not one the platform published: name datasets of its namespaces as the catalogue lists them`,
      )[0]
    if (!reason && isRunEvent(event)) {
      const known = jobOfRun.get(event.run.runId)
      if (known && (known.namespace !== event.job.namespace || known.name !== event.job.name))
        reason = `run ${event.run.runId} is a run of job ${known.namespace}:${known.name}: events of a run name its own job`
      else jobOfRun.set(event.run.runId, event.job)
    }
    if (reason) refusals.push({ index, message: `Refused the ${describeEvent(event)}: ${reason}` })
  }
  return refusals
}
