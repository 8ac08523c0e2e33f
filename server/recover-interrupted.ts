import type { Runtime } from './runtime.js'

/**
 * Finds processes that died without signing off (kill -9, a lost machine) and marks what they
 * left running as failed, with the reason: their Trusted Centre runs (nothing of theirs was
 * published: a version appears only when complete) and their queries. Safe in every replica at
 * once: each update only touches rows still running. Also removes the answer files such processes
 * left in this machine's temp directory. Returns how many runs and queries it marked, and how
 * many processes' files it removed.
 */
export async function recoverInterrupted(
  runtime: Pick<Runtime, 'processes' | 'trustedCentre' | 'query' | 'log'>,
): Promise<{ runs: number; queries: number; files: number }> {
  const dead = await runtime.processes.deadProcesses()
  let runs = 0
  let queries = 0
  if (dead.length > 0) {
    runs = await runtime.trustedCentre.failInterrupted(dead)
    queries = await runtime.query.failInterrupted(dead)
    await runtime.processes.forget(dead)
    runtime.log.warn(
      { processes: dead.length, runs, queries },
      'marked work of stopped processes failed',
    )
  }
  // Half-written answer files of processes on this machine that are no longer on record.
  const files = await runtime.query.sweepOrphanedFiles(await runtime.processes.knownProcesses())
  if (files > 0) runtime.log.warn({ files }, 'removed answer files of stopped processes')
  return { runs, queries, files }
}
