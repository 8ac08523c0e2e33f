import { createHash, createHmac, hkdfSync } from 'node:crypto'
import { SECRET_KEY_BYTES } from '../keys/index.js'
import { canonicalJson } from '../text/index.js'

/** An appended event with its place in the hash chain. */
export interface AuditEntry {
  seq: number
  occurredAt: Date
  actorId: string | undefined
  actor: string
  action: string
  outcome: string
  subjectType: string | undefined
  subjectId: string | undefined
  details: Record<string, unknown>
  requestId: string | undefined
  prevHash: string
  hash: string
  /** Which audit key chained it; none for entries chained before the trail was keyed. */
  keyId?: string
}

/** How a trail that does not verify was broken. */
export type AuditBreak =
  | 'missing'
  | 'altered'
  | 're-chained'
  | 'truncated'
  | 'wrong-key'
  | 'unanchored'
  | 'checkpoint-altered'

/**
 * The outcome of checking the whole chain against its checkpoints; a failure names how it broke
 * and the first entry that is wrong.
 */
export type AuditVerification =
  | {
      ok: true
      entries: number
      headHash: string
      /** The newest checkpoint the trail was checked against; null when the log is not anchored. */
      checkpoint: { at: string; entries: number } | null
    }
  | { ok: false; entries: number; firstBadSeq: number; kind: AuditBreak; problem: string }

export const GENESIS_HASH = '0'.repeat(64)

/** The keys of the chain and of its checkpoints, both derived from the audit key. */
export function deriveAuditKeys(secret: Buffer): {
  chain: Buffer
  checkpoints: Buffer
  id: string
} {
  if (secret.length < SECRET_KEY_BYTES)
    throw new Error(`The audit key needs at least ${SECRET_KEY_BYTES} bytes`)
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, '', info, 32))
  return {
    chain: derive('audit-chain'),
    checkpoints: derive('audit-checkpoints'),
    id: createHash('sha256').update('audit-key-id:').update(secret).digest('hex').slice(0, 12),
  }
}

function contentOf(entry: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: entry.seq,
    occurredAt: entry.occurredAt,
    actorId: entry.actorId ?? null,
    actor: entry.actor,
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details,
    requestId: entry.requestId ?? null,
  })
}

/**
 * The hash of an entry: HMAC-SHA-256 under the chain key over the previous hash and the canonical
 * JSON of its content. Without a key, plain SHA-256: how entries were chained before the trail
 * was keyed, accepted only at its start.
 */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>, chainKey?: Buffer): string {
  const text = `${entry.prevHash}\n${contentOf(entry)}`
  return chainKey
    ? createHmac('sha256', chainKey).update(text).digest('hex')
    : createHash('sha256').update(text).digest('hex')
}
