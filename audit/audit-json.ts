import { z } from 'zod'
import type { AuditEntry } from './audit-entry.js'

/** The shapes the audit routes answer with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

/** One entry of the trail with its place in the hash chain; the export sends one a line. */
export const auditEntryJson = z.strictObject({
  seq: z.number().int(),
  occurredAt: time,
  actorId: z.string().nullable().describe('The user, when the actor was one'),
  actor: z.string().describe('A user name, or who tried (`anonymous`, `unknown`)'),
  action: z.string().describe('e.g. `auth.sign-in`, `token.create`, `access.denied`'),
  // As stored: a trail is shown as it is, whatever was written into it.
  outcome: z.string().describe('`succeeded`, `denied` or `failed`'),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  prevHash: z.string().describe('The hash of the entry before (64 zeros for the first)'),
  hash: z.string(),
})

/** The outcome of checking the whole chain; a failure names how it broke and where. */
export const auditVerificationJson = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    entries: z.number().int().min(0),
    headHash: z.string(),
    checkpoint: z
      .strictObject({ at: time, entries: z.number().int().min(0) })
      .nullable()
      .describe('The newest checkpoint the trail was checked against; null when not anchored'),
  }),
  z.strictObject({
    ok: z.literal(false),
    entries: z.number().int().min(0).describe('How many entries checked out before the break'),
    firstBadSeq: z.number().int(),
    kind: z.enum([
      'missing',
      'altered',
      're-chained',
      'truncated',
      'wrong-key',
      'unanchored',
      'checkpoint-altered',
    ]),
    problem: z.string(),
  }),
])

export function toAuditEntryJson(entry: AuditEntry): z.output<typeof auditEntryJson> {
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
