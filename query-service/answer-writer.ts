import type { AnswerWriter } from './answer-file.js'
import { errorOfFailure } from './errors.js'
import type { WorkerRun } from './worker-lease.js'
import { JobError } from './worker-protocol.js'

/**
 * A worker's job writing a file answer, as `streamAnswerFile` follows it: the rows it wrote, or
 * the caller's error for why not; `onEnd` runs once it has ended either way.
 */
export function answerWriter(job: WorkerRun, onEnd: () => void): AnswerWriter {
  const rows = job.result
    .then((result) => result.rows)
    .catch((error: unknown) => {
      throw error instanceof JobError ? errorOfFailure(error.failure) : error
    })
    .finally(onEnd)
  return { rows, stop: () => job.stop() }
}
