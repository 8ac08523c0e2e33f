import type { Kysely } from 'kysely'

/** Something consequential that happened: who did what to which subject, and how it ended. */
export interface AuditEvent {
  actor: { id?: string; name: string }
  action: string
  outcome: 'succeeded' | 'denied' | 'failed'
  subject?: { type: string; id: string }
  details?: Record<string, unknown>
  requestId?: string
}

/**
 * Where a module records what it did: the audit trail's one entry point, stated in the kernel so
 * that every module, identity included, records through it (the audit module implements it).
 */
export interface AuditRecorder {
  /**
   * Appends one entry. Given `within` (an open transaction), the entry is part of it: committed
   * with the step it records, or not at all.
   */
  append(event: AuditEvent, now: Date, within?: Kysely<unknown>): Promise<unknown>
}
