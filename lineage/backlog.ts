import type { LineageEvent } from './events.js'

/** Events claimed for one delivery attempt to one transport, oldest first. */
export interface BacklogBatch {
  readonly ids: readonly string[]
  readonly events: readonly LineageEvent[]
  /** Attempts already made for the oldest of them (the backoff grows with it). */
  readonly attempts: number
  /** Who holds the claim: a result is recorded only under it. */
  readonly claim: string
}

export interface BacklogCounts {
  pending: number
  /** Since when the oldest pending event has waited. */
  oldestPendingAt: Date | null
}

/**
 * Where the emitter keeps events until each transport has taken them. Delivery is in order per
 * transport: a batch is only handed out when the transport's oldest pending event is due, so an
 * event never overtakes one that failed before it.
 */
export interface LineageBacklog {
  /** Survives a restart (a table), or not (memory). */
  readonly durable: boolean
  add(event: LineageEvent, transports: readonly string[], now: Date): Promise<void>
  /**
   * The transport's oldest pending events, if due, claimed for `leaseMs` (no other sender takes
   * them meanwhile). Without a batch, `dueAt` says when the oldest is due (null: none pending).
   */
  claim(
    transport: string,
    limit: number,
    now: Date,
    leaseMs: number,
  ): Promise<{ batch: BacklogBatch | null; dueAt: Date | null }>
  delivered(transport: string, batch: BacklogBatch, now: Date): Promise<void>
  failed(transport: string, batch: BacklogBatch, error: string, retryAt: Date): Promise<void>
  counts(transport: string): Promise<BacklogCounts>
}

interface Entry {
  id: string
  event: LineageEvent
  createdAt: Date
  attempts: number
  dueAt: Date
}

/**
 * In memory, for our own store (written inline: if the database is down, a table could not hold
 * the backlog either) and for tests; lost on restart. Beyond `maxPending` events per transport
 * the oldest are dropped and `onDrop` is told.
 */
export function memoryBacklog(
  options: { maxPending?: number; onDrop?: (transport: string) => void } = {},
): LineageBacklog {
  const maxPending = options.maxPending ?? 100_000
  const queues = new Map<string, Entry[]>()
  let nextId = 0
  const queue = (transport: string) => {
    const entries = queues.get(transport) ?? []
    if (!queues.has(transport)) queues.set(transport, entries)
    return entries
  }
  return {
    durable: false,
    async add(event, transports, now) {
      for (const transport of transports) {
        const entries = queue(transport)
        entries.push({ id: String(nextId++), event, createdAt: now, attempts: 0, dueAt: now })
        if (entries.length > maxPending) {
          entries.shift()
          options.onDrop?.(transport)
        }
      }
    },
    async claim(transport, limit, now, leaseMs) {
      const entries = queue(transport)
      const due: Entry[] = []
      for (const entry of entries) {
        if (due.length === limit || entry.dueAt > now) break
        due.push(entry)
      }
      if (due.length === 0) return { batch: null, dueAt: entries[0]?.dueAt ?? null }
      for (const entry of due) entry.dueAt = new Date(now.getTime() + leaseMs)
      return {
        batch: {
          ids: due.map((e) => e.id),
          events: due.map((e) => e.event),
          attempts: due[0]?.attempts ?? 0,
          claim: '',
        },
        dueAt: null,
      }
    },
    async delivered(transport, batch) {
      const ids = new Set(batch.ids)
      queues.set(
        transport,
        queue(transport).filter((e) => !ids.has(e.id)),
      )
    },
    async failed(transport, batch, _error, retryAt) {
      const ids = new Set(batch.ids)
      for (const entry of queue(transport))
        if (ids.has(entry.id)) {
          entry.attempts++
          entry.dueAt = retryAt
        }
    },
    async counts(transport) {
      const entries = queue(transport)
      return { pending: entries.length, oldestPendingAt: entries[0]?.createdAt ?? null }
    },
  }
}
