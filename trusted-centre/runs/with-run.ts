import type { EmittedRunEvent, RunEvent, RunEventType } from '../../lineage/index.js'
import { newRunId, type Run } from './run.js'
import type { RunOutcome, RunStore } from './run-store.js'

/** Where the Trusted Centre sends its OpenLineage events (the lineage store, in process). */
export interface LineageSink {
  record(event: RunEvent): Promise<unknown>
}

/** What every run needs: its store, the lineage that observes it, and the clock. */
export interface RunDeps {
  runs: RunStore
  /** Receives an OpenLineage START and COMPLETE/FAIL event for every run. */
  lineage?: LineageSink
  now: () => Date
}

/**
 * How lineage observes a run: its events at the start (no details yet) and at the end, given
 * the details its work reported. See `run-lineage.ts` for the ingest and fusion runs.
 */
export type RunEvents<D> = (run: Run, eventType: RunEventType, details?: D) => EmittedRunEvent[]

/** A run about to start: what it is, and how lineage sees it. */
export interface RunPlan<D> {
  kind: Run['kind']
  /** The feed id of an ingest run, the pipeline id of a fusion run. */
  subject: string
  /** When it started, if that was before the call (an ingest names its archive after it). */
  startedAt?: Date
  /** The delivery an ingest run consumes. */
  deliverySha256?: string
  events: RunEvents<D>
  /**
   * The run's message when its work throws. The engine's own words may quote the data it choked
   * on, so they are kept apart as withheld detail, and the error is thrown on.
   */
  failure: string
}

/** How the work ended its run: the outcome to record, the details lineage reports, the result. */
export interface RunEnding<T, D> {
  outcome: RunOutcome
  details?: D
  result: T
}

/**
 * Runs `work` as one Trusted Centre run: records the run's start and emits START, then records
 * the outcome the work returns and emits COMPLETE (or FAIL when that outcome is a failure). When
 * the work throws, the run is recorded as failed with the plan's message, FAIL is emitted, and
 * the error is thrown on.
 */
export async function withRun<T, D>(
  deps: RunDeps,
  plan: RunPlan<D>,
  work: (runId: string) => Promise<RunEnding<T, D>>,
): Promise<{ run: Run; result: T }> {
  const startedAt = plan.startedAt ?? deps.now()
  const id = newRunId(startedAt)
  await deps.runs.startRun({
    id,
    kind: plan.kind,
    subject: plan.subject,
    startedAt,
    deliverySha256: plan.deliverySha256,
  })
  const started = await deps.runs.findRun(id)
  if (started) await observe(deps, plan.events, started, 'START')
  let ending: RunEnding<T, D>
  try {
    ending = await work(id)
  } catch (error) {
    const run = await deps.runs.finishRun(id, deps.now(), {
      status: 'failed',
      message: plan.failure,
      withheld: { error: error instanceof Error ? error.message : String(error) },
    })
    await observe(deps, plan.events, run, 'FAIL')
    throw error
  }
  const run = await deps.runs.finishRun(id, deps.now(), ending.outcome)
  const eventType = run.status === 'succeeded' ? 'COMPLETE' : 'FAIL'
  await observe(deps, plan.events, run, eventType, ending.details)
  return { run, result: ending.result }
}

async function observe<D>(
  deps: RunDeps,
  events: RunEvents<D>,
  run: Run,
  eventType: RunEventType,
  details?: D,
) {
  if (!deps.lineage) return
  for (const event of events(run, eventType, details)) await deps.lineage.record(event)
}
