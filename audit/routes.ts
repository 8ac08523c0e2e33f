import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { z } from 'zod'
import type { RouteEnv } from '../identity/index.js'
import { actorOf, assertCan } from '../identity/index.js'
import { validate } from '../routing/index.js'
import type { AuditEntry } from './audit-entry.js'
import type { AuditLog } from './audit-log.js'

export const auditListQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

/** What the audit routes read and record through. */
export interface AuditRouteDeps {
  audit: AuditLog
  now: () => Date
}

/** The audit trail for auditors: read it, verify the chain, export it. Nothing here can change it. */
export function auditRoutes(deps: AuditRouteDeps) {
  return new Hono<RouteEnv>()
    .get('/', validate('query', auditListQuery), async (c) => {
      assertCan(c.get('ability'), 'read', 'AuditLog')
      const query = c.req.valid('query')
      const entries = await deps.audit.list({ beforeSeq: query.before, limit: query.limit })
      return c.json({ ok: true as const, data: entries.map(entryJson) })
    })
    .get('/verify', async (c) => {
      assertCan(c.get('ability'), 'verify', 'AuditLog')
      const result = await deps.audit.verify()
      await deps.audit.append(
        {
          actor: actorOf(c.get('caller')),
          action: 'audit.verify',
          outcome: 'succeeded',
          details: { ok: result.ok, entries: result.entries },
          requestId: c.get('requestId'),
        },
        deps.now(),
      )
      return c.json({ ok: true as const, data: result })
    })
    .get('/export', async (c) => {
      assertCan(c.get('ability'), 'export', 'AuditLog')
      await deps.audit.append(
        {
          actor: actorOf(c.get('caller')),
          action: 'audit.export',
          outcome: 'succeeded',
          requestId: c.get('requestId'),
        },
        deps.now(),
      )
      c.header('Content-Type', 'application/x-ndjson')
      c.header('Content-Disposition', 'attachment; filename="audit-log.ndjson"')
      return stream(c, async (out) => {
        for await (const entry of deps.audit.entries())
          await out.write(`${JSON.stringify(entryJson(entry))}\n`)
      })
    })
}

function entryJson(entry: AuditEntry) {
  return {
    seq: entry.seq,
    occurredAt: entry.occurredAt.toISOString(),
    actorId: entry.actorId ?? null,
    actor: entry.actor,
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details,
    requestId: entry.requestId ?? null,
    prevHash: entry.prevHash,
    hash: entry.hash,
  }
}
