import type { LineageDataset } from './events.js'
import { type EmittedRunEvent, runEvent } from './run-event.js'

/** Where a run's OpenLineage events go (the lineage emitter, on a server). */
export interface RunObserver {
  record(event: EmittedRunEvent): Promise<unknown>
}

/** A run of ours as lineage sees it: its id, its job, what it reads. */
export interface ObservedRun {
  runId: string
  job: { name: string; type: string }
  startedAt: Date
  inputs: LineageDataset[]
}

/**
 * Runs `work` observed by lineage, without weaving events through it: START before, COMPLETE
 * with the outputs the work reports after, FAIL when it throws (and the error is thrown on), so
 * no run is left started for ever.
 */
export async function observeRun<T>(
  observer: RunObserver | undefined,
  run: ObservedRun,
  now: () => Date,
  work: () => Promise<{ result: T; outputs: LineageDataset[] }>,
): Promise<T> {
  const emit = (eventType: 'START' | 'COMPLETE' | 'FAIL', outputs: LineageDataset[] = []) =>
    observer?.record(
      runEvent({
        eventType,
        eventTime: eventType === 'START' ? run.startedAt : now(),
        runId: run.runId,
        job: run.job,
        inputs: run.inputs,
        outputs,
      }),
    )
  await emit('START')
  let ended: { result: T; outputs: LineageDataset[] }
  try {
    ended = await work()
  } catch (error) {
    await emit('FAIL')
    throw error
  }
  await emit('COMPLETE', ended.outputs)
  return ended.result
}
