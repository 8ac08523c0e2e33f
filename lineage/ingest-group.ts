import type { AuditLog } from '../audit/index.js'
import {
  type AuditEvent,
  createGroupCommit,
  ForbiddenError,
  type GroupCommit,
  type Outcome,
} from '../core/index.js'
import { isRunEvent, type LineageEvent } from './events.js'
import type { LineageStore } from './lineage-store.js'
import { namespacesWritten, platformInputs, refusalsOf } from './namespace-ownership.js'

/** What the ownership checks read: one query for any number of events. */
export function ownershipFacts(deps: { store: LineageStore }, events: readonly LineageEvent[]) {
  return deps.store.ownershipFacts({
    namespaces: events.flatMap((event) => namespacesWritten(event).map((w) => w.namespace)),
    runIds: events.flatMap((event) => (isRunEvent(event) ? [event.run.runId] : [])),
    datasets: events.flatMap(platformInputs),
  })
}

/** One event posted alone: checked, stored and audited in a group with others posted meanwhile. */
export interface IngestItem {
  event: LineageEvent
  /** The size of the event as received, in bytes: a group holds at most a batch's worth. */
  bytes: number
  warnings: readonly string[]
  /** Whether the sender may write the namespaces of this agency (from their own ability). */
  mayWrite: (agency: string) => boolean
  /** The event's audit entry, appended in the transaction that stores it. */
  audit: (stored: boolean) => AuditEvent
}

/** What a group commit of events needs. */
export interface IngestGroupDeps {
  store: LineageStore
  audit: Pick<AuditLog, 'appendAll'>
  now: () => Date
}

/** Stores one item in a transaction of its own: it succeeds or fails by itself. */
async function storeAlone(
  deps: IngestGroupDeps,
  item: IngestItem,
): Promise<Outcome<{ stored: boolean }>> {
  try {
    const value = await deps.store.record(item.event, item.warnings, {
      within: (trx, result) => deps.audit.appendAll([item.audit(result.stored)], deps.now(), trx),
    })
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error }
  }
}

/**
 * Single events, group-committed (see {@link createGroupCommit}): the namespace checks read once
 * for the group, and each event is judged by its own sender's rights (a refused one gets its own
 * ForbiddenError and is not stored); the others are stored with their audit entries in one
 * transaction. If that transaction fails (an event the checks could not foresee, such as two
 * events of a group naming one run under different jobs), nothing of it was stored, and each
 * event is stored alone instead, so only the failing one fails.
 */
export function ingestGroupCommit(
  deps: IngestGroupDeps,
  options: { maxItems: number; maxBytes: number },
): GroupCommit<IngestItem, { stored: boolean }> {
  return createGroupCommit<IngestItem, { stored: boolean }>(
    async (items) => {
      const facts = await ownershipFacts(
        deps,
        items.map((item) => item.event),
      )
      const outcomes: Outcome<{ stored: boolean }>[] = []
      const accepted: IngestItem[] = []
      const acceptedAt: number[] = []
      for (const [i, item] of items.entries()) {
        const [refused] = refusalsOf(
          [item.event],
          facts.owners,
          facts.runJobs,
          item.mayWrite,
          facts.known,
        )
        if (refused) outcomes[i] = { ok: false, error: new ForbiddenError(refused.message) }
        else {
          accepted.push(item)
          acceptedAt.push(i)
        }
      }
      if (accepted.length === 1 && accepted[0]) {
        outcomes[acceptedAt[0] ?? 0] = await storeAlone(deps, accepted[0])
        return outcomes
      }
      try {
        const results = await deps.store.recordAll(accepted, {
          within: (trx, results) =>
            deps.audit.appendAll(
              accepted.map((item, k) => item.audit(results[k]?.stored ?? false)),
              deps.now(),
              trx,
            ),
        })
        for (const [k, i] of acceptedAt.entries())
          outcomes[i] = { ok: true, value: results[k] ?? { stored: false } }
      } catch {
        for (const [k, i] of acceptedAt.entries()) {
          const item = accepted[k]
          if (item) outcomes[i] = await storeAlone(deps, item)
        }
      }
      return outcomes
    },
    {
      maxItems: options.maxItems,
      maxSize: options.maxBytes,
      sizeOf: (item) => item.bytes,
    },
  )
}
