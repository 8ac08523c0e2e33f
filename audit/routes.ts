import { Hono } from 'hono'
import { stream } from 'hono/streaming'
import { z } from 'zod'
import type { RouteEnv } from '../identity/index.js'
import { actorOf, assertCan, serve } from '../identity/index.js'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { auditEntryJson, auditVerificationJson, toAuditEntryJson } from './audit-json.js'
import type { AuditLog } from './audit-log.js'

export const auditListQuery = z.object({
  before: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Only entries with a smaller sequence number: the last `seq` of the page before'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Entries a page'),
})

/** What the audit routes read and record through. */
export interface AuditRouteDeps {
  audit: AuditLog
  now: () => Date
}

export const listAuditEntries = defineRoute({
  method: 'get',
  path: '/',
  access: 'auditor',
  summary: 'Audit entries, newest first, paged by sequence number',
  request: { query: auditListQuery },
  responses: { 200: { description: 'The entries', json: ok(z.array(auditEntryJson)) } },
})

export const verifyAudit = defineRoute({
  method: 'get',
  path: '/verify',
  access: 'verifier',
  summary: "Verify the audit log's hash chain end to end",
  description:
    'Checks every entry and its link against the audit key, and the trail against its checkpoints anchored outside the database; a broken trail answers 200 with `ok: false`, naming the first bad entry and how it broke. Audited as `audit.verify`.',
  responses: { 200: { description: 'The verification', json: ok(auditVerificationJson) } },
})

export const exportAudit = defineRoute({
  method: 'get',
  path: '/export',
  access: 'auditor',
  summary: 'The whole audit log as newline-delimited JSON',
  description:
    'Every entry, oldest first, one JSON object a line (as `GET /api/audit` shows each), streamed. Audited as `audit.export`.',
  responses: {
    200: {
      description: 'The trail',
      media: ['application/x-ndjson'],
      headers: { 'Content-Disposition': 'attachment; filename="audit-log.ndjson"' },
    },
  },
})

/** The audit trail for auditors, mounted under /api/audit. */
export const AUDIT_API = defineModule('/audit', 'Audit', {
  listAuditEntries,
  verifyAudit,
  exportAudit,
})

/** The audit trail for auditors: read it, verify the chain, export it. Nothing here can change it. */
export function auditRoutes(deps: AuditRouteDeps) {
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(listAuditEntries, async (c) => {
        assertCan(c.get('ability'), 'read', 'AuditLog')
        const query = c.req.valid('query')
        const entries = await deps.audit.list({ beforeSeq: query.before, limit: query.limit })
        return c.json({ ok: true as const, data: entries.map(toAuditEntryJson) }, 200)
      }),
    )
    .route(
      '/',
      serve(verifyAudit, async (c) => {
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
        return c.json({ ok: true as const, data: result }, 200)
      }),
    )
    .route(
      '/',
      serve(exportAudit, async (c) => {
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
            await out.write(`${JSON.stringify(toAuditEntryJson(entry))}\n`)
        })
      }),
    )
}
