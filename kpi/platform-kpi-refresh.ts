import type { WorkflowChange } from '../access/index.js'
import type { Logger } from '../core/index.js'
import { coalesce } from '../core/index.js'
import type { KpiEngine } from './kpi-computation.js'

/** Keeps the platform KPIs current with the access workflow. */
export interface PlatformKpiRefresh {
  /** To be told of every committed workflow step (access's `observeWorkflow`). */
  onWorkflowChange(change: WorkflowChange): void
  /** Resolves once no recomputation is under way or waiting. */
  settled(): Promise<void>
}

/**
 * Measures the platform KPIs again after every decision on an access request (an approval counts
 * at once, as does a rejection among the records read), in the background and coalesced: a burst
 * of decisions costs at most the recomputation under way and one more, never two at once. A
 * failure is logged; the values before it stay, and the next decision tries again.
 * @example observeWorkflow(store, createPlatformKpiRefresh(engine, log).onWorkflowChange)
 */
export function createPlatformKpiRefresh(engine: KpiEngine, log: Logger): PlatformKpiRefresh {
  const refresh = coalesce(async () => {
    try {
      await engine.computePlatform({ kind: 'access decision', actor: 'system' })
    } catch (error) {
      log.error(
        { error: error instanceof Error ? error.message : String(error) },
        'KPI computation failed',
      )
    }
  })
  return {
    onWorkflowChange(change) {
      if (change.decided) void refresh.request()
    },
    settled: () => refresh.settled(),
  }
}
