import type { AuditAnchor, CheckpointReading, StoredCheckpoint } from './audit-checkpoints.js'
import {
  type AuditBreak,
  type AuditEntry,
  type AuditVerification,
  auditEntryHash,
  GENESIS_HASH,
} from './audit-entry.js'

interface TrailToVerify {
  entries: AsyncIterable<AuditEntry>
  keys: { chain: Buffer; id: string }
  anchor?: AuditAnchor
  /** The table's row count and sequence range, read apart from the walk. */
  extent?: () => Promise<{ rows: number; first?: number; last?: number }>
}

/**
 * Checks the whole trail: every entry in sequence, linked to the one before and keyed with the
 * audit key, and the trail against every checkpoint anchored outside the database. Names the
 * first break: an entry missing, altered, or re-chained (its hash recomputed, with or without
 * the key), entries deleted from the end (truncated), or checkpoints removed or altered.
 */
export async function verifyTrail(trail: TrailToVerify): Promise<AuditVerification> {
  let count = 0
  const broken = (kind: AuditBreak, firstBadSeq: number, problem: string): AuditVerification => ({
    ok: false,
    entries: count,
    firstBadSeq,
    kind,
    problem,
  })
  let reading: CheckpointReading = { checkpoints: [] }
  try {
    if (trail.anchor) reading = await trail.anchor.read()
  } catch (error) {
    return broken(
      'unanchored',
      1,
      `The checkpoints in ${trail.anchor?.where} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): the trail cannot be confirmed against its anchor`,
    )
  }
  const anchoredAt = new Map<number, StoredCheckpoint[]>()
  for (const checkpoint of reading.checkpoints)
    anchoredAt.set(checkpoint.entries, [...(anchoredAt.get(checkpoint.entries) ?? []), checkpoint])

  let prevHash = GENESIS_HASH
  let keyed = false
  let keyedByUs = false
  for await (const entry of trail.entries) {
    const expectedSeq = count + 1
    if (entry.seq !== expectedSeq) {
      return broken(
        'missing',
        expectedSeq,
        `Entry ${expectedSeq} is missing: the chain jumps from ${expectedSeq - 1} to ${entry.seq}`,
      )
    }
    const problem = entryProblem(entry, prevHash, keyed, trail.keys, keyedByUs)
    if (problem) return broken(problem.kind, entry.seq, problem.text)
    const differing = anchoredAt.get(entry.seq)?.find((c) => c.headHash !== entry.hash)
    if (differing) {
      return broken(
        're-chained',
        entry.seq,
        `Entry ${entry.seq} is not the entry anchored by the checkpoint of ${differing.at.toISOString()}: ` +
          'the trail was re-chained (entries rewritten or replaced and every later hash recomputed)',
      )
    }
    keyed ||= entry.keyId !== undefined
    keyedByUs ||= entry.keyId === trail.keys.id
    prevHash = entry.hash
    count++
  }

  const extent = await trail.extent?.()
  if (
    extent &&
    (extent.rows !== count || (count > 0 && (extent.first !== 1 || extent.last !== count)))
  ) {
    return broken(
      'altered',
      extent.first !== undefined && extent.first < 1 ? extent.first : count + 1,
      `The table holds ${extent.rows} rows numbered ${extent.first ?? '-'} to ${extent.last ?? '-'}, but the chain is ${count} entries numbered 1 to ${count}: rows were inserted outside the chain`,
    )
  }
  if (reading.altered) {
    const { file, line, entries } = reading.altered
    return broken(
      'checkpoint-altered',
      entries,
      `Checkpoint ${line} of ${file} in ${trail.anchor?.where} was altered or forged: its MAC does not hold`,
    )
  }
  const latest = reading.checkpoints.reduce<StoredCheckpoint | undefined>(
    (newest, c) => (!newest || c.entries > newest.entries ? c : newest),
    undefined,
  )
  if (latest && latest.entries > count) {
    return broken(
      'truncated',
      count + 1,
      `The trail was truncated: it ends at entry ${count}, but the checkpoint of ` +
        `${latest.at.toISOString()} anchored ${latest.entries} entries; entries ${count + 1} to ` +
        `${latest.entries} were deleted`,
    )
  }
  if (trail.anchor && !latest && count > 0) {
    return broken(
      'unanchored',
      1,
      `No checkpoint of the audit trail in ${trail.anchor.where}: its entries cannot be confirmed ` +
        'against an anchor (the checkpoints were removed, or never written)',
    )
  }
  return {
    ok: true,
    entries: count,
    headHash: prevHash,
    checkpoint: latest ? { at: latest.at.toISOString(), entries: latest.entries } : null,
  }
}

/** What is wrong with one entry on its own and with its link, if anything. */
function entryProblem(
  entry: AuditEntry,
  prevHash: string,
  keyedBefore: boolean,
  keys: { chain: Buffer; id: string },
  keyedByUsBefore: boolean,
): { kind: AuditBreak; text: string } | undefined {
  if (entry.prevHash !== prevHash) {
    return {
      kind: 'altered',
      text: `Entry ${entry.seq} does not link to entry ${entry.seq - 1}: one of them was altered, replaced or inserted`,
    }
  }
  const unkeyedHash = auditEntryHash(entry)
  if (entry.keyId === undefined) {
    // Entries from before the trail was keyed are accepted only at its start.
    if (keyedBefore || unkeyedHash !== entry.hash) {
      return {
        kind: 're-chained',
        text: `Entry ${entry.seq} was re-chained: it carries no audit key and was written or rehashed without one`,
      }
    }
    return undefined
  }
  // After entries written with the configured key, another key id is an alteration, not a
  // configuration mistake.
  if (entry.keyId !== keys.id && keyedByUsBefore)
    return {
      kind: 'altered',
      text: `Entry ${entry.seq} was altered: it names audit key ${entry.keyId}, unlike the entries before it`,
    }
  if (entry.keyId !== keys.id) {
    return {
      kind: 'wrong-key',
      text: `Entry ${entry.seq} names audit key ${entry.keyId}, not the configured key ${keys.id}: set AUDIT_KEY to the key this trail was written with`,
    }
  }
  if (auditEntryHash(entry, keys.chain) === entry.hash) return undefined
  return unkeyedHash === entry.hash
    ? {
        kind: 're-chained',
        text: `Entry ${entry.seq} was re-chained: its hash was recomputed without the audit key`,
      }
    : {
        kind: 'altered',
        text: `Entry ${entry.seq} was altered: its content no longer matches its keyed hash`,
      }
}
