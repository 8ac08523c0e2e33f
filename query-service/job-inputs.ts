import type { AggregateReleases } from './aggregate-releases.js'
import type { QueryFormat } from './answer-formats.js'
import { QueryRefusedError } from './errors.js'
import type { GateVerdicts } from './gate-verdicts.js'
import type { OutputRules } from './output-checks.js'
import type { Projections } from './projections.js'
import type { QueryLease } from './query-lease.js'
import type { Run } from './query-records.js'
import type { DisclosureJob, JobView, SandboxSpec } from './worker-protocol.js'

/** The output checks of a run over an aggregate-only view, and where its release is kept. */
export interface RunDisclosure {
  dataset: string
  /** Releases to this person from the dataset so far: this one is kept as the next. */
  seq: number
  job: DisclosureJob
}

/** The version of a dataset a caller's view reads: the newest its entitlement holds. */
const versionOf = (view: Run['views'][number]) => view.entitlement.files[0]?.version ?? 0

/**
 * The gate's verdict in the worker (remembered for a text seen before over the same view names),
 * then the projections of the views it reads.
 */
export async function jobViewsOf(
  run: Run,
  lease: Pick<QueryLease, 'check'>,
  deps: { projections: Pick<Projections, 'file'>; verdicts: Pick<GateVerdicts, 'judge'> },
): Promise<JobView[]> {
  const names = run.views.map((v) => v.name)
  const verdict = await deps.verdicts.judge(run.sql, names, () => lease.check(run.sql, names))
  if (!verdict.ok)
    throw new QueryRefusedError(verdict.message, verdict.position, verdict.unknownView)
  const used = run.views.filter((v) => verdict.views.includes(v.name))
  return Promise.all(
    used.map(async (view) => ({
      name: view.name,
      file: await deps.projections.file(view, versionOf(view)),
      ...(view.entitlement.scope === 'aggregates'
        ? {
            aggregate: true,
            identifiers: view.entitlement.schema
              .filter((c) => c.personalData === 'direct-identifier')
              .map((c) => c.name),
            columns: view.columns.map((c) => ({ name: c.name, type: c.type })),
          }
        : {}),
    })),
  )
}

/**
 * The output checks of a run over an aggregate-only view (with what this person was given
 * from it before), or undefined when it reads none.
 */
export async function disclosureOf(
  run: Run,
  views: readonly JobView[],
  format: QueryFormat,
  deps: { releases: Pick<AggregateReleases, 'earlier'>; outputRules: OutputRules },
): Promise<RunDisclosure | undefined> {
  const aggregate = run.views.find(
    (v) => v.entitlement.scope === 'aggregates' && views.some((j) => j.name === v.name),
  )
  if (!aggregate) return undefined
  if (format !== 'json')
    throw new QueryRefusedError(
      `'${aggregate.name}' is for aggregates only: ask for JSON (its answers are checked cell by cell before they leave)`,
    )
  const dataset = aggregate.entitlement.dataset.id
  const earlier = await deps.releases.earlier(run.user.id, dataset)
  return {
    dataset,
    seq: earlier.seq,
    job: { rules: deps.outputRules, earlier: earlier.releases },
  }
}

/**
 * The sandbox a JSON run outside the output checks may run in and leave for the caller's next:
 * every view of theirs but the aggregate-only ones, over the files their entitlements name now
 * (made or not: a view is made in it only once a job reads it, after its file was made).
 */
export function sandboxOf(run: Run, projections: Pick<Projections, 'pathOf'>): SandboxSpec {
  return {
    caller: run.user.id,
    views: run.views
      .filter((v) => v.entitlement.scope !== 'aggregates')
      .map((view) => ({ name: view.name, file: projections.pathOf(view, versionOf(view)) })),
  }
}
