import type { GateVerdict } from './sql-gate.js'

/** Texts whose verdicts are remembered at most: a few hundred kilobytes. */
const REMEMBERED = 1_000

/**
 * The gate's verdicts on texts it let through, remembered: a verdict is a function of the text
 * and the caller's view names alone (DuckDB's parse and our rules, nothing run, no data), so a
 * text asked again over the same names needs no round trip to a worker. It decides only which
 * views' files a job gets; the worker judges the text again against those views before it runs
 * it. Refusals are not kept: they are rare, and their words come from the worker each time.
 */
export function createGateVerdicts(max = REMEMBERED) {
  // In the order they were last used: the first is the next to go.
  const verdicts = new Map<string, Extract<GateVerdict, { ok: true }>>()
  return {
    /** The verdict on `sql` over `views`, remembered or asked of `judge` (and then remembered). */
    async judge(
      sql: string,
      views: readonly string[],
      judge: () => Promise<GateVerdict>,
    ): Promise<GateVerdict> {
      const key = JSON.stringify([sql, [...views].sort()])
      const known = verdicts.get(key)
      if (known) {
        verdicts.delete(key)
        verdicts.set(key, known)
        return known
      }
      const verdict = await judge()
      if (verdict.ok) {
        verdicts.set(key, verdict)
        for (const oldest of verdicts.keys()) {
          if (verdicts.size <= max) break
          verdicts.delete(oldest)
        }
      }
      return verdict
    },
    size: () => verdicts.size,
  }
}

export type GateVerdicts = ReturnType<typeof createGateVerdicts>
