import type { Runtime } from './runtime.js'

/**
 * Finds processes that died without signing off (kill -9, a lost machine) and marks what they
 * left running as failed, with the reason: their Trusted Centre runs (nothing of theirs was
 * published: a version appears only when complete) and their queries. Safe in every replica at
 * once: each update only touches rows still running. Returns how many of each it marked.
 */
export async function recoverInterrupted(
  runtime: Pick<Runtime, 'processes' | 'trustedCentre' | 'query' | 'log'>,
): Promise<{ runs: number; queries: number }> {
  const dead = await runtime.processes.deadProcesses()
  if (dead.length === 0) return { runs: 0, queries: 0 }
  const runs = await runtime.trustedCentre.failInterrupted(dead)
  const queries = await runtime.query.failInterrupted(dead)
  await runtime.processes.forget(dead)
  runtime.log.warn(
    { processes: dead.length, runs, queries },
    'marked work of stopped processes failed',
  )
  return { runs, queries }
}
